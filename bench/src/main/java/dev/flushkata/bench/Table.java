package dev.flushkata.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Rows of cells shown two ways: aligned columns for the terminal, a Markdown table for docs. */
final class Table {

    private final List<String> header;
    private final int textColumns;
    private final List<List<String>> rows = new ArrayList<>();

    /** The first textColumns columns are left-aligned words, the others right-aligned figures. */
    Table(int textColumns, String... header) {
        this.header = List.of(header);
        this.textColumns = textColumns;
    }

    Table add(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    String text() {
        int[] width = new int[header.size()];
        for (List<String> row : all()) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String pad = " ".repeat(width[i] - row.get(i).length());
                line.append(i == 0 ? "" : "  ").append(i < textColumns ? row.get(i) + pad : pad + row.get(i));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(line(header));
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            rule.add(i < textColumns ? "---" : "---:");
        }
        sb.append(line(rule));
        rows.forEach(r -> sb.append(line(r)));
        return sb.toString();
    }

    private List<List<String>> all() {
        List<List<String>> all = new ArrayList<>(Collections.singletonList(header));
        all.addAll(rows);
        return all;
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
