package com.relaycrm.platform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a JSON object field by field and collects every problem with a field name, so a request is either fully
 * valid or answered with one 422 listing all its invalid fields. Absent fields read as {@code null}; a field sent as
 * JSON {@code null} also reads as {@code null} but {@link #has} tells the two apart (PATCH semantics).
 */
public final class JsonInput {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern LOCAL_PART =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern TOP_LEVEL = Pattern.compile("[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}");

    private final JsonNode node;
    private final List<FieldError> errors = new ArrayList<>();

    private JsonInput(JsonNode node) {
        this.node = node;
    }

    /** Starts reading a request body; anything but a JSON object is a 422. */
    public static JsonInput of(JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiProblem.badRequest("Request body is missing");
        }
        if (!body.isObject()) {
            throw ApiProblem.invalid("body", "must be a JSON object");
        }
        return new JsonInput(body);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public Set<String> fields() {
        return new TreeSet<>(node.propertyNames());
    }

    public void reject(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Fields outside {@code allowed} are errors; {@code readOnly} ones get a clearer message. */
    public JsonInput onlyFields(Collection<String> allowed, Collection<String> readOnly) {
        for (String field : fields()) {
            if (readOnly.contains(field)) {
                reject(field, "is read-only");
            } else if (!allowed.contains(field)) {
                reject(field, "is not a known field");
            }
        }
        return this;
    }

    /** Throws one 422 with every collected error, if any. */
    public void validate() {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }

    private @Nullable JsonNode present(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A trimmed string of {@code min..max} code points without control characters; null if absent. */
    public @Nullable String string(String field, int min, int max, boolean required) {
        JsonNode value = present(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        if (!value.isString()) {
            reject(field, "must be a string");
            return null;
        }
        String text = value.stringValue().strip();
        int length = text.codePointCount(0, text.length());
        if (required && text.isEmpty()) {
            reject(field, "must not be blank");
            return null;
        }
        if (length < min || length > max) {
            reject(field, "must be " + min + "-" + max + " characters long");
            return null;
        }
        if (CONTROL.matcher(text).find()) {
            reject(field, "must not contain control characters");
            return null;
        }
        return text;
    }

    /** A trimmed, syntactically valid e-mail address (dot-atom local part, dotted DNS domain). */
    public @Nullable String email(String field, boolean required) {
        String text = string(field, 0, 254, required);
        if (text == null || text.isEmpty()) {
            if (text != null && required) {
                reject(field, "is required");
            }
            return text == null || text.isEmpty() ? null : text;
        }
        if (!isEmail(text)) {
            reject(field, "must be a valid e-mail address");
            return null;
        }
        return text;
    }

    public static boolean isEmail(String text) {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at != text.indexOf('@') || at > 64 || text.length() > 254) {
            return false;
        }
        String local = text.substring(0, at);
        String[] labels = text.substring(at + 1).split("\\.", -1);
        if (!LOCAL_PART.matcher(local).matches() || labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!DOMAIN_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return TOP_LEVEL.matcher(labels[labels.length - 1]).matches();
    }

    /** One of {@code allowed}, compared exactly. */
    public @Nullable String oneOf(String field, Collection<String> allowed, boolean required) {
        JsonNode value = present(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        if (!value.isString() || !allowed.contains(value.stringValue())) {
            reject(field, "must be one of " + String.join(", ", allowed));
            return null;
        }
        return value.stringValue();
    }

    public <E extends Enum<E>> @Nullable E enumValue(String field, Class<E> type, boolean required) {
        List<String> names =
                java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        String name = oneOf(field, names, required);
        return name == null ? null : Enum.valueOf(type, name);
    }

    public @Nullable Long longValue(String field, long min, long max, boolean required) {
        JsonNode value = present(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        if (!value.isIntegralNumber() && !(value.isNumber() && isWhole(value.decimalValue()))) {
            reject(field, "must be an integer");
            return null;
        }
        BigDecimal number = value.decimalValue();
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            reject(field, "must be between " + min + " and " + max);
            return null;
        }
        return number.longValueExact();
    }

    private static boolean isWhole(BigDecimal number) {
        return number.stripTrailingZeros().scale() <= 0;
    }

    /** A decimal amount with at most {@code maxScale} decimals, read exactly (never through a double). */
    public @Nullable BigDecimal decimal(String field, BigDecimal min, BigDecimal max, int maxScale, boolean required) {
        JsonNode value = present(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        BigDecimal number;
        if (value.isNumber()) {
            number = value.isFloatingPointNumber() && !value.isBigDecimal()
                    ? new BigDecimal(value.asString())
                    : value.decimalValue();
        } else {
            reject(field, "must be a number");
            return null;
        }
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            reject(field, "must be between " + min.toPlainString() + " and " + max.toPlainString());
            return null;
        }
        BigDecimal stripped = number.stripTrailingZeros();
        if (stripped.scale() > maxScale) {
            reject(field, "must have at most " + maxScale + " decimal places");
            return null;
        }
        return number.setScale(Math.min(Math.max(number.scale(), 0), maxScale), RoundingMode.UNNECESSARY);
    }

    public @Nullable Boolean bool(String field, boolean required) {
        JsonNode value = present(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        if (!value.isBoolean()) {
            reject(field, "must be true or false");
            return null;
        }
        return value.booleanValue();
    }

    public @Nullable LocalDate date(String field, boolean required) {
        String text = string(field, 0, 40, required);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            reject(field, "must be a date like 2025-01-31");
            return null;
        }
    }

    public @Nullable OffsetDateTime dateTime(String field, boolean required) {
        String text = string(field, 0, 60, required);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            reject(field, "must be an ISO-8601 date-time with offset like 2025-01-31T10:00:00Z");
            return null;
        }
    }

    /** An array of strings; each element is validated like {@link #string}. */
    public @Nullable List<String> strings(String field, int minItems, int maxItems, int maxLength, boolean required) {
        JsonNode value = present(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        if (!value.isArray()) {
            reject(field, "must be an array of strings");
            return null;
        }
        if (value.size() < minItems || value.size() > maxItems) {
            reject(field, "must have " + minItems + "-" + maxItems + " items");
            return null;
        }
        List<String> result = new ArrayList<>();
        int index = 0;
        boolean ok = true;
        for (JsonNode item : value.values()) {
            String name = field + "[" + index++ + "]";
            if (!item.isString()) {
                reject(name, "must be a string");
                ok = false;
                continue;
            }
            String text = item.stringValue().strip();
            int length = text.codePointCount(0, text.length());
            if (length < 1 || length > maxLength || CONTROL.matcher(text).find()) {
                reject(name, "must be 1-" + maxLength + " characters without control characters");
                ok = false;
                continue;
            }
            result.add(text);
        }
        return ok ? result : null;
    }

    public @Nullable JsonNode raw(String field) {
        return present(field);
    }
}
