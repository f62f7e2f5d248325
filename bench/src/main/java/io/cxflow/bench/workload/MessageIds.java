package io.cxflow.bench.workload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique {@code messageId}s written into prepared request bodies without re-serializing them: a message is
 * generated with {@link #PLACEHOLDER} as its id, and each request copy gets {@code <run><sequence>} (8 + 16
 * hex digits, the same length) written over it.
 */
public final class MessageIds {

    public static final int PLACEHOLDER_LENGTH = 24;
    /** A placeholder that occurs nowhere else in a generated message. */
    public static final String PLACEHOLDER = "~".repeat(PLACEHOLDER_LENGTH);

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte MARK = '~';

    private final int run;
    private final AtomicLong next;

    /**
     * @param run distinguishes the ids of one benchmark run from another's
     * @param first the first sequence number
     */
    public MessageIds(int run, long first) {
        this.run = run;
        this.next = new AtomicLong(first);
    }

    /** The offsets of every placeholder in {@code json}. */
    public static int[] placeholderOffsets(byte[] json) {
        int[] offsets = new int[16];
        int count = 0;
        int run = 0;
        for (int i = 0; i < json.length; i++) {
            run = json[i] == MARK ? run + 1 : 0;
            if (run == PLACEHOLDER_LENGTH) {
                if (i + 1 < json.length && json[i + 1] == MARK) {
                    throw new IllegalArgumentException("a run of more than " + PLACEHOLDER_LENGTH + " '~' at " + i);
                }
                if (count == offsets.length) {
                    offsets = Arrays.copyOf(offsets, count * 2);
                }
                offsets[count++] = i + 1 - PLACEHOLDER_LENGTH;
                run = 0;
            }
        }
        return Arrays.copyOf(offsets, count);
    }

    /**
     * Writes a fresh id over each placeholder offset of {@code json} (a copy the caller owns).
     *
     * @return the sequence number of the first id written
     */
    public long fill(byte[] json, int[] offsets) {
        long first = next.getAndAdd(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            write(json, offsets[i], first + i);
        }
        return first;
    }

    /** The next id as text. */
    public String nextId() {
        byte[] id = new byte[PLACEHOLDER_LENGTH];
        write(id, 0, next.getAndIncrement());
        return new String(id, StandardCharsets.US_ASCII);
    }

    private void write(byte[] target, int at, long sequence) {
        for (int i = 7; i >= 0; i--) {
            target[at + 7 - i] = HEX[(run >>> (i * 4)) & 0xf];
        }
        for (int i = 15; i >= 0; i--) {
            target[at + 8 + 15 - i] = HEX[(int) ((sequence >>> (i * 4)) & 0xf)];
        }
    }
}
