package dev.flushkata.docs;

import java.util.ArrayList;
import java.util.List;

/** A line diff in unified format (the one `diff -u` and git print), by longest common subsequence. */
public final class UnifiedDiff {

    static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** The hunks turning a into b under the headers "--- aName" and "+++ bName"; "" when equal. */
    public static String of(String aName, List<String> a, String bName, List<String> b) {
        List<char[]> ops = script(a, b); // each op: {kind ' ' '-' '+'}, with indexes in a and b
        List<int[]> edits = new ArrayList<>();
        int ia = 0;
        int ib = 0;
        for (char[] op : ops) {
            edits.add(new int[] {op[0], ia, ib});
            if (op[0] != '+') {
                ia++;
            }
            if (op[0] != '-') {
                ib++;
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i)[0] == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < edits.size()) {
                if (edits.get(end)[0] != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            hunk(out, edits.subList(start, end), a, b);
            i = end;
        }
        if (out.length() == 0) {
            return "";
        }
        return "--- " + aName + "\n+++ " + bName + "\n" + out;
    }

    private static void hunk(StringBuilder out, List<int[]> edits, List<String> a, List<String> b) {
        int aStart = edits.get(0)[1];
        int bStart = edits.get(0)[2];
        int aLen = (int) edits.stream().filter(e -> e[0] != '+').count();
        int bLen = (int) edits.stream().filter(e -> e[0] != '-').count();
        out.append("@@ -").append(range(aStart, aLen)).append(" +").append(range(bStart, bLen)).append(" @@\n");
        for (int[] e : edits) {
            String line = e[0] == '+' ? b.get(e[2]) : a.get(e[1]);
            out.append((char) e[0]).append(line).append('\n');
        }
    }

    private static String range(int start, int len) {
        return len == 1 ? String.valueOf(start + 1) : (len == 0 ? start : start + 1) + "," + len;
    }

    /** The edit script: ' ' keep, '-' delete from a, '+' insert from b; deletions before insertions. */
    private static List<char[]> script(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<char[]> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new char[] {' '});
                i++;
                j++;
            } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new char[] {'-'});
                i++;
            } else {
                ops.add(new char[] {'+'});
                j++;
            }
        }
        return ops;
    }
}
