package io.cxflow.activation.condition;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepConditionTest {

    private final SegmentMembershipChanged ann = change("c-1", "high-value", MembershipChange.ENTERED, 1);

    @Test
    void shouldEvaluateOverTheCustomerSnapshot() {
        assertThat(StepCondition.test("profile.consent.email == true", ann)).isTrue();
        assertThat(StepCondition.test("'userId' in profile.identities && profile.timezone == 'Europe/Rome'", ann))
                .isTrue();
        assertThat(StepCondition.test("profile.segment.change == 'EXITED'", ann))
                .isFalse();
        assertThat(StepCondition.test("profile.email.endsWith('@example.com')", ann))
                .isTrue();
    }

    @Test
    void shouldCountAnEvaluationErrorAsFalse() {
        ann.setConsent(Map.of());

        assertThat(StepCondition.test("profile.consent.sms == true", ann)).isFalse();
        assertThat(StepCondition.test("!has(profile.consent.sms)", ann)).isTrue();
    }

    @Test
    void shouldRefuseExpressionsThatDoNotCompileOrAreNotBoolean() {
        assertThat(StepCondition.check("profile.consent.email ==")).startsWith("is not a valid condition");
        assertThat(StepCondition.check("size(profile.identities)")).startsWith("is not a valid condition");
        assertThat(StepCondition.check("other.x == 1")).startsWith("is not a valid condition");
        assertThat(StepCondition.check("profile.consent.email == true")).isNull();
    }
}
