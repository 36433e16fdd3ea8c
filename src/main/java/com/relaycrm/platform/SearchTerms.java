package com.relaycrm.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A search text as every module's search SQL takes it (see {@code V1_4__platform_search_functions.sql}): the text
 * itself for trigram matching ({@code public.relay_search_text(:text)}), a {@code LIKE} pattern for "contains"
 * ({@code search_text LIKE public.relay_search_text(:pattern)}), and a prefix {@code tsquery} for words
 * ({@code search_doc @@ to_tsquery('public.relay_search', :prefix_query)}).
 *
 * <p>The query is built here from letters and digits only, each word quoted and prefix-matched, so tsquery syntax
 * typed by a user ({@code & | ! :* ' \}) is never parsed as syntax: it is text that separates words.
 *
 * @param text the stripped text, control characters replaced by spaces
 * @param words its words (letter and digit runs), at most {@link #MAX_WORDS}
 */
public record SearchTerms(String text, List<String> words) {

    public static final int MIN_LENGTH = 2;
    /** 500 characters or more is refused. */
    public static final int MAX_LENGTH = 499;

    public static final int MAX_WORDS = 16;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    public SearchTerms {
        words = List.copyOf(words);
    }

    /**
     * The search parameter {@code name} of the search endpoint: 400 when missing, blank, shorter than
     * {@link #MIN_LENGTH} or longer than {@link #MAX_LENGTH} characters.
     */
    public static SearchTerms required(String name, @Nullable String raw) {
        String text = raw == null ? "" : clean(raw);
        if (text.length() < MIN_LENGTH || text.length() > MAX_LENGTH) {
            throw ApiProblem.badParameter(
                    name, "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters (not only spaces)");
        }
        return of(text);
    }

    /** A list filter's text: any length the caller has already bounded; null when absent or blank. */
    public static @Nullable SearchTerms optional(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String text = clean(raw);
        return text.isEmpty() ? null : of(text);
    }

    private static SearchTerms of(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find() && words.size() < MAX_WORDS) {
            words.add(matcher.group());
        }
        return new SearchTerms(text, words);
    }

    /** Control characters (NUL among them, which PostgreSQL text cannot hold) become spaces. */
    private static String clean(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        raw.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString().strip();
    }

    /** "Contains" as a {@code LIKE} pattern; wildcards and backslashes in the text match literally. */
    public String likePattern() {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * Every word as a prefix, all required ({@code 'joao':* & 'sil':*}), or null when the text has no letters or
     * digits. Words hold only letters and digits, so quoting them is enough.
     */
    public @Nullable String prefixQuery() {
        if (words.isEmpty()) {
            return null;
        }
        return words.stream().map(w -> "'" + w + "':*").collect(Collectors.joining(" & "));
    }

    /**
     * Trigram "typo" matching ({@code :w0 <% column AND :w1 <% column ...}), word by word so that a shared part of two
     * e-mail addresses ("acme.test" against "beta.test") is no match; binds {@code w0..} in {@code params}. Null
     * without words.
     */
    public @Nullable String typoCondition(String column, java.util.Map<String, Object> params) {
        if (words.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            params.put("w" + i, words.get(i));
            parts.add("public.relay_search_text(:w" + i + ") <% " + column);
        }
        return "(" + String.join(" AND ", parts) + ")";
    }

    /**
     * Every word is digits (ids, phone numbers): such words are matched as typed, since a "typo" of a number is
     * another number.
     */
    public boolean digitsOnly() {
        return !words.isEmpty() && words.stream().allMatch(w -> w.chars().allMatch(c -> c >= '0' && c <= '9'));
    }

    /** Only digits (an id or a phone number fragment). */
    public boolean numeric() {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
