package io.cxflow.activation.channel.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.MembershipChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AudienceMemberTest {

    // sha256("ann@example.com") and sha256("+393331234567"), computed independently
    private static final String ANN_EMAIL = "71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476";
    private static final String ANN_PHONE = "78f00e1ca317fb2af02c89b17b8b07382ff70336aba0997ad1f3ef3645b4e682";

    @Test
    void shouldHashTrimmedLowerCaseEmailsAndE164PhonesOnce() throws Exception {
        // the fixture has " Ann@Example.com " in identities and "ann@example.com" as preferred email,
        // "+39 333 123 4567" as preferred phone and "+393331234567" in identities
        AudienceMember member = AudienceMember.of(Decisions.decision("ads", "aud", Map.of("audience", "vip")));

        assertThat(member.emailHashes()).containsExactly(ANN_EMAIL);
        assertThat(member.phoneHashes()).containsExactly(ANN_PHONE);
        assertThat(member.memberId())
                .hasSize(32)
                .isEqualTo(AudienceMember.sha256Hex("welcome:aud:cus_42:3").substring(0, 32));
        assertThat(member.toString()).doesNotContain(ANN_EMAIL).doesNotContain("cus_42");
    }

    @Test
    void shouldDropValuesThatAreNotEmailsOrE164AndRefuseACustomerWithNothingLeft() {
        Decision nothing = Decisions.decision(
                "ads",
                "aud",
                Map.of("audience", "vip"),
                Decisions.change("cus_1", MembershipChange.ENTERED, 1)
                        .setEmail("not-an-email")
                        .setPhone("333 123 4567")
                        .setIdentities(Map.of("email", List.of(" "), "phone", List.of("0612345678")))
                        .build());

        assertThatThrownBy(() -> AudienceMember.of(nothing))
                .isInstanceOf(Undeliverable.class)
                .hasMessageContaining("no email or E.164 phone");
    }

    @Test
    void shouldReadInternationalPrefix00AsPlus() throws Exception {
        Decision decision = Decisions.decision(
                "ads",
                "aud",
                Map.of("audience", "vip"),
                Decisions.change("cus_1", MembershipChange.ENTERED, 1)
                        .setEmail(null)
                        .setPhone("0039 (333) 123-4567")
                        .setIdentities(Map.of())
                        .build());

        assertThat(AudienceMember.of(decision).phoneHashes()).containsExactly(ANN_PHONE);
    }

    @Test
    void shouldDeriveTheSameBatchIdFromTheSameMembersInAnyOrder() throws Exception {
        AudienceMember a = AudienceMember.of(Decisions.decision("ads", "a", Map.of()));
        AudienceMember b = AudienceMember.of(Decisions.decision("ads", "b", Map.of()));

        String ab = new AudienceBatch("vip", AudienceBatch.Operation.ADD, List.of(a, b)).id();
        String ba = new AudienceBatch("vip", AudienceBatch.Operation.ADD, List.of(b, a, b)).id();
        String removed = new AudienceBatch("vip", AudienceBatch.Operation.REMOVE, List.of(a, b)).id();
        String onlyA = new AudienceBatch("vip", AudienceBatch.Operation.ADD, List.of(a)).id();

        assertThat(ab).isEqualTo(ba).hasSize(32);
        assertThat(removed).isNotEqualTo(ab);
        assertThat(onlyA).isNotEqualTo(ab);
        assertThat(new AudienceBatch("vip", AudienceBatch.Operation.ADD, List.of(b, a, b)).members())
                .hasSize(2);
    }
}
