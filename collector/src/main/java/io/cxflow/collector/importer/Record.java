package io.cxflow.collector.importer;

import java.util.List;

/**
 * One record of an input file.
 *
 * @param line the 1-based line where the record starts
 * @param values the CSV cells (empty for NDJSON)
 * @param raw the record's text as it appears in the file, without the line break
 */
record Record(long line, List<String> values, String raw) {}
