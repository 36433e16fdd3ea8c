package com.relaycrm.fieldservice.imports;

import com.relaycrm.platform.ApiProblem;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The file's delimiter and the positions of the required columns, read from its header line. */
record CsvLayout(char delimiter, int fieldCount, int[] columnIndex) {

    static final List<String> REQUIRED =
            List.of("id_atendimento", "id_cliente", "angel", "polo", "data_limite", "data_de_atendimento");
    static final int ID_ATENDIMENTO = 0;
    static final int ID_CLIENTE = 1;
    static final int ANGEL = 2;
    static final int POLO = 3;
    static final int DATA_LIMITE = 4;
    static final int DATA_DE_ATENDIMENTO = 5;

    /** Reads the header; {@code requested} is the client's delimiter or 0 to detect it among ; , and tab. */
    static CsvLayout fromHeader(String header, char requested) {
        char delimiter = requested != 0 ? requested : detect(header);
        List<String> names = new ArrayList<>();
        for (String name : split(header, delimiter)) {
            names.add(unquote(name.strip()).strip().toLowerCase(Locale.ROOT));
        }
        int[] index = new int[REQUIRED.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < REQUIRED.size(); i++) {
            index[i] = names.indexOf(REQUIRED.get(i));
            if (index[i] < 0) {
                missing.add(REQUIRED.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw ApiProblem.badRequest("The CSV header lacks required column(s): " + String.join(", ", missing)
                            + " (delimiter '" + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter)) + "')")
                    .with("missing_columns", missing);
        }
        return new CsvLayout(delimiter, names.size(), index);
    }

    private static char detect(String header) {
        char best = ',';
        int bestCount = 0;
        for (char candidate : new char[] {';', ',', '\t'}) {
            int count = split(header, candidate).size() - 1;
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }

    private static List<String> split(String line, char delimiter) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                part.append(c);
            } else if (c == delimiter && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        return name;
    }

    static char delimiterParameter(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case ";", "semicolon" -> ';';
            case ",", "comma" -> ',';
            case "\t", "tab", "\\t" -> '\t';
            default -> throw ApiProblem.badParameter("delimiter", "must be one of ';', ',', 'tab'");
        };
    }

    static Charset encodingParameter(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return StandardCharsets.UTF_8;
        }
        return switch (value.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "utf-8", "utf8" -> StandardCharsets.UTF_8;
            case "windows-1252", "cp1252" -> Charset.forName("windows-1252");
            case "iso-8859-1", "latin1", "latin-1" -> StandardCharsets.ISO_8859_1;
            default -> throw ApiProblem.badParameter("encoding", "must be one of UTF-8, windows-1252, ISO-8859-1");
        };
    }
}
