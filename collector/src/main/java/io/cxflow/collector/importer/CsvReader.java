package io.cxflow.collector.importer;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: comma-separated cells, cells in double quotes may hold commas, line breaks
 * and doubled quotes ({@code ""}); lines end with LF or CRLF. Blank lines are skipped. It keeps each
 * record's starting line number and its raw text, for the reject file.
 */
final class CsvReader {

    private final Reader in;
    private final int maxRecordChars;
    private long line = 1;
    private int pushback = -2;

    /** The record is longer than the limit; the reader skips to its end. */
    static final class RecordTooLongException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        RecordTooLongException(long line, int limit) {
            super("the record starting on line " + line + " is longer than " + limit + " characters");
            this.line = line;
        }

        long line() {
            return line;
        }
    }

    /** A quoted cell is not closed, or text follows a closing quote. */
    static final class MalformedCsvException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedCsvException(String message) {
            super(message);
        }
    }

    /**
     * @param maxRecordChars the longest record kept; a longer one is reported by {@link
     *     RecordTooLongException} once read past
     */
    CsvReader(Reader in, int maxRecordChars) {
        this.in = in;
        this.maxRecordChars = maxRecordChars;
    }

    /** The next record, or null at the end of the input. */
    Record next() throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                line++;
                continue;
            }
            if (c == '\r') {
                continue;
            }
            unread(c);
            return record();
        }
    }

    private Record record() throws IOException {
        long start = line;
        List<String> cells = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        StringBuilder cell = new StringBuilder();
        boolean tooLong = false;
        boolean quoted = false;
        boolean afterQuote = false;
        boolean cellStart = true;
        while (true) {
            int c = read();
            if (c == -1) {
                if (quoted) {
                    throw new MalformedCsvException("line " + start + ": a quoted cell is not closed");
                }
                cells.add(cell.toString());
                break;
            }
            if (!tooLong) {
                if (raw.length() >= maxRecordChars) {
                    tooLong = true;
                } else if (c != '\r' || quoted) {
                    raw.append((char) c);
                }
            }
            if (quoted) {
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        append(cell, '"', tooLong);
                        if (!tooLong) {
                            raw.append('"');
                        }
                    } else {
                        quoted = false;
                        afterQuote = true;
                        unread(next);
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    append(cell, c, tooLong);
                }
                continue;
            }
            if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                cellStart = true;
                afterQuote = false;
                continue;
            }
            if (c == '\n') {
                line++;
                if (!tooLong && raw.length() > 0 && raw.charAt(raw.length() - 1) == '\n') {
                    raw.setLength(raw.length() - 1);
                }
                cells.add(cell.toString());
                break;
            }
            if (c == '\r') {
                continue;
            }
            if (c == '"' && cellStart) {
                quoted = true;
                cellStart = false;
                continue;
            }
            if (afterQuote) {
                throw new MalformedCsvException("line " + line + ": text after the closing quote of a cell");
            }
            cellStart = false;
            append(cell, c, tooLong);
        }
        if (tooLong) {
            throw new RecordTooLongException(start, maxRecordChars);
        }
        return new Record(start, List.copyOf(cells), raw.toString());
    }

    private static void append(StringBuilder cell, int c, boolean tooLong) {
        if (!tooLong) {
            cell.append((char) c);
        }
    }

    private int read() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        pushback = c;
    }
}
