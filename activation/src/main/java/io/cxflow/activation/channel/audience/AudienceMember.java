package io.cxflow.activation.channel.audience;

import io.cxflow.activation.channel.ContactPoints;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.decision.Decision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One customer as an ad platform matches them: SHA-256 hashes (lower-case hex) of their normalised
 * emails (trimmed, lower-cased) and phones (E.164 with the leading {@code +}), never the clear values.
 *
 * @param memberId a pseudonymous id of the decision (first 32 hex digits of SHA-256 of its idempotency
 *     key), so a receiver can recognise a member sent again in another batch without learning who it is
 * @param idempotencyKey the decision's key, which feeds the batch id and stays inside cxflow
 * @param emailHashes hashes of the normalised emails, sorted, without duplicates
 * @param phoneHashes hashes of the E.164 phones, sorted, without duplicates
 */
public record AudienceMember(
        String memberId, String idempotencyKey, List<String> emailHashes, List<String> phoneHashes) {

    public AudienceMember {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        emailHashes = emailHashes.stream().distinct().sorted().toList();
        phoneHashes = phoneHashes.stream().distinct().sorted().toList();
    }

    /**
     * The member of a decision's customer.
     *
     * @throws Undeliverable when the customer has neither a usable email nor an E.164 phone
     */
    public static AudienceMember of(Decision decision) throws Undeliverable {
        List<String> emails = ContactPoints.emails(decision.change()).stream()
                .map(AudienceMember::sha256Hex)
                .toList();
        List<String> phones = ContactPoints.phones(decision.change()).stream()
                .map(AudienceMember::sha256Hex)
                .toList();
        if (emails.isEmpty() && phones.isEmpty()) {
            throw new Undeliverable("the customer has no email or E.164 phone to match in an audience");
        }
        String key = decision.key().value();
        return new AudienceMember(sha256Hex(key).substring(0, 32), key, emails, phones);
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code value}. */
    public static String sha256Hex(String value) {
        return sha256Hex(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "AudienceMember[" + memberId + ", emails=" + emailHashes.size() + ", phones=" + phoneHashes.size() + "]";
    }
}
