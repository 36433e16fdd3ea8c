package com.relaycrm.fieldservice.domain;

import org.jspecify.annotations.Nullable;

/** Angel and polo names compare trimmed and with inner whitespace collapsed, so "Ana  Lima " is "Ana Lima". */
public final class Names {

    public static final int MAX_LENGTH = 200;

    private Names() {}

    public static String normalize(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        boolean space = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = !out.isEmpty();
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The state of a polo named {@code UF - CITY}: two letters before the dash, upper case; null otherwise. */
    public static @Nullable String ufOf(String polo) {
        int dash = polo.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String uf = polo.substring(0, dash).strip();
        if (uf.length() != 2 || !Character.isLetter(uf.charAt(0)) || !Character.isLetter(uf.charAt(1))) {
            return null;
        }
        return uf.toUpperCase(java.util.Locale.ROOT);
    }

    public static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
