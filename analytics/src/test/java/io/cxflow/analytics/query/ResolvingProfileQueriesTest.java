package io.cxflow.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResolvingProfileQueriesTest {

    /** Stores as maps; records which reads were made. */
    private static final class MapReads implements StoreReads {
        final Map<String, String> profiles = new HashMap<>();
        final Map<String, String> index = new HashMap<>();
        final Map<String, String> redirects = new HashMap<>();
        final List<String> reads = new ArrayList<>();

        @Override
        public Optional<Document> profile(String customerId) {
            reads.add("profile " + customerId);
            return Optional.ofNullable(profiles.get(customerId)).map(json -> new Document(customerId, json, "h:1"));
        }

        @Override
        public Optional<Document> memberships(String customerId) {
            reads.add("memberships " + customerId);
            return Optional.ofNullable(profiles.get(customerId))
                    .map(json -> new Document(customerId, "segments of " + customerId, "h:1"));
        }

        @Override
        public Optional<String> customerOf(IdentifierKey identifier) {
            reads.add("identity " + identifier.key());
            return IdentityResolution.customerOf(identifier, index::get, redirects::get);
        }

        @Override
        public String survivorOf(String customerId) {
            reads.add("redirect " + customerId);
            return IdentityResolution.survivorOf(customerId, redirects::get);
        }
    }

    private final MapReads stores = new MapReads();
    private final ProfileQueries queries = new ResolvingProfileQueries(stores);

    @Test
    void shouldAnswerAStoredProfileFromItsOwnerWithoutAskingTheRedirects() {
        stores.profiles.put("cus_a", "{a}");

        assertThat(queries.profile("cus_a"))
                .get()
                .extracting(Document::customerId, Document::json)
                .containsExactly("cus_a", "{a}");
        assertThat(stores.reads).containsExactly("profile cus_a");
    }

    @Test
    void shouldAnswerTheSurvivorsProfileForAnAbsorbedId() {
        stores.profiles.put("cus_survivor", "{survivor}");
        stores.redirects.put("cus_absorbed", "cus_survivor");

        assertThat(queries.profile("cus_absorbed"))
                .get()
                .extracting(Document::customerId, Document::json)
                .containsExactly("cus_survivor", "{survivor}");
        assertThat(stores.reads)
                .containsExactly("profile cus_absorbed", "redirect cus_absorbed", "profile cus_survivor");
    }

    @Test
    void shouldAnswerNothingForAnUnknownIdAfterOneRedirectQuestion() {
        assertThat(queries.profile("cus_nobody")).isEmpty();
        assertThat(stores.reads).containsExactly("profile cus_nobody", "redirect cus_nobody");
    }

    @Test
    void shouldAnswerTheSurvivorsMembershipsForAnAbsorbedId() {
        stores.profiles.put("cus_survivor", "{survivor}");
        stores.redirects.put("cus_absorbed", "cus_survivor");

        assertThat(queries.memberships("cus_absorbed"))
                .get()
                .extracting(Document::customerId, Document::json)
                .containsExactly("cus_survivor", "segments of cus_survivor");
    }

    @Test
    void shouldLookUpAnIdentifierThroughTheIndexThenTheProfile() {
        stores.index.put("email:ann@example.com", "cus_old");
        stores.redirects.put("cus_old", "cus_ann");
        stores.profiles.put("cus_ann", "{ann}");

        assertThat(queries.lookup(new IdentifierKey("email", "ann@example.com")))
                .get()
                .extracting(Document::customerId)
                .isEqualTo("cus_ann");
        assertThat(stores.reads).containsExactly("identity email:ann@example.com", "profile cus_ann");
    }

    @Test
    void shouldAnswerNothingForAnUnknownIdentifierWithoutReadingAProfile() {
        assertThat(queries.lookup(new IdentifierKey("email", "nobody@example.com")))
                .isEmpty();
        assertThat(stores.reads).containsExactly("identity email:nobody@example.com");
    }
}
