package io.cxflow.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.platform.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** What the admin commands share: reading a JSON document from a file or stdin, and printing tables and JSON. */
final class CliText {

    private CliText() {}

    /**
     * Reads the JSON object in {@code file} ({@code -} reads {@code stdin}).
     *
     * @param example a short example object for the error message
     * @throws CommandLine.ParameterException when the file is missing, not JSON or not an object
     */
    static ObjectNode readObject(Path file, InputStream stdin, CommandLine cli, String example) {
        JsonNode json;
        try {
            json = file.toString().equals("-")
                    ? Json.mapper().readTree(stdin)
                    : Json.mapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(cli, "no such file: " + file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    cli,
                    (file.toString().equals("-") ? "stdin" : file) + " is not a JSON object: "
                            + firstLine(e.getMessage()));
        }
        if (json == null || !json.isObject()) {
            throw new CommandLine.ParameterException(
                    cli, (file.toString().equals("-") ? "stdin" : file) + " must hold a JSON object like " + example);
        }
        return (ObjectNode) json;
    }

    /** Columns padded to their widest cell, the last one not. */
    static void table(PrintWriter out, List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row[c]);
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - row[c].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** {@code json} indented for people. */
    static String pretty(JsonNode json) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            return String.valueOf(json);
        }
    }

    /** {@code text} on one line: runs of white space become one space. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
