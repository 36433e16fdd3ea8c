package com.relaycrm.search.web;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * HTML snippets with the match marked: the text is HTML-escaped, and every occurrence of the search text or of
 * one of its words (case and accents ignored, as in the database) is wrapped in {@code <mark>}. Long texts are cut to
 * a window around the first match.
 */
final class Snippets {

    static final int MAX_LENGTH = 160;

    private Snippets() {}

    static String of(String text, String query, List<String> words) {
        Folded folded = Folded.of(text);
        List<int[]> ranges = new ArrayList<>();
        List<String> needles = new ArrayList<>();
        needles.add(query);
        needles.addAll(words);
        for (String needle : needles) {
            String key = Folded.of(needle).text;
            if (key.isBlank()) {
                continue;
            }
            int at = folded.text.indexOf(key);
            while (at >= 0) {
                ranges.add(new int[] {folded.start(at), folded.end(at + key.length() - 1)});
                at = folded.text.indexOf(key, at + key.length());
            }
        }
        ranges.sort(Comparator.<int[]>comparingInt(r -> r[0]).thenComparingInt(r -> -r[1]));
        List<int[]> merged = new ArrayList<>();
        for (int[] range : ranges) {
            if (!merged.isEmpty() && range[0] <= merged.getLast()[1]) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], range[1]);
            } else {
                merged.add(range.clone());
            }
        }
        int from = 0;
        int to = text.length();
        if (text.length() > MAX_LENGTH) {
            int first = merged.isEmpty() ? 0 : merged.getFirst()[0];
            from = Math.max(0, Math.min(first - MAX_LENGTH / 4, text.length() - MAX_LENGTH));
            to = Math.min(text.length(), from + MAX_LENGTH);
            if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
                from++;
            }
            if (to < text.length() && Character.isLowSurrogate(text.charAt(to))) {
                to--;
            }
        }
        StringBuilder html = new StringBuilder();
        if (from > 0) {
            html.append('…');
        }
        int at = from;
        for (int[] range : merged) {
            int start = Math.max(range[0], from);
            int end = Math.min(range[1], to);
            if (start >= end) {
                continue;
            }
            escape(text, at, start, html);
            html.append("<mark>");
            escape(text, start, end, html);
            html.append("</mark>");
            at = end;
        }
        escape(text, at, to, html);
        if (to < text.length()) {
            html.append('…');
        }
        return html.toString();
    }

    private static void escape(String text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }

    /** Lower-case text without accents, each of its chars knowing the original chars it came from. */
    private static final class Folded {

        final String text;
        private final int[] starts;
        private final int[] ends;

        private Folded(String text, int[] starts, int[] ends) {
            this.text = text;
            this.starts = starts;
            this.ends = ends;
        }

        static Folded of(String original) {
            StringBuilder folded = new StringBuilder(original.length());
            List<Integer> starts = new ArrayList<>();
            List<Integer> ends = new ArrayList<>();
            int i = 0;
            while (i < original.length()) {
                int cp = original.codePointAt(i);
                int next = i + Character.charCount(cp);
                String base = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD)
                        .replaceAll("\\p{M}", "")
                        .toLowerCase(Locale.ROOT);
                for (int k = 0; k < base.length(); k++) {
                    folded.append(base.charAt(k));
                    starts.add(i);
                    ends.add(next);
                }
                i = next;
            }
            return new Folded(
                    folded.toString(),
                    starts.stream().mapToInt(Integer::intValue).toArray(),
                    ends.stream().mapToInt(Integer::intValue).toArray());
        }

        int start(int foldedIndex) {
            return starts[foldedIndex];
        }

        int end(int foldedIndex) {
            return ends[foldedIndex];
        }
    }
}
