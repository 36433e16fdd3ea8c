package com.relaycrm.fieldservice.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.relaycrm.fieldservice.FieldServiceApi;
import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

@RestController
@RequestMapping("/api/v1/atendimento")
@Tag(name = "Field service: CSV import")
class ImportController {

    private final ImportTasks tasks;
    private final ImportProperties properties;

    ImportController(ImportTasks tasks, ImportProperties properties) {
        this.tasks = tasks;
        this.properties = properties;
    }

    record Accepted(String message, UUID taskId, String statusUrl) {}

    @PostMapping("/import_csv")
    @Operation(
            summary = "Import a CSV of visits (multipart field 'file' or the raw body); 202 with a task id",
            description = "Query: dry_run=true|false, delimiter=;|,|tab (default: detected from the header), "
                    + "encoding=UTF-8|windows-1252|ISO-8859-1 (default UTF-8).")
    ResponseEntity<Accepted> importCsv(HttpServletRequest request) throws IOException {
        Map<String, String> query = query(request.getQueryString());
        boolean dryRun = switch (query.getOrDefault("dry_run", "false").toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw ApiProblem.badParameter("dry_run", "must be true or false");
        };
        char delimiter = CsvLayout.delimiterParameter(query.get("delimiter"));
        var charset = CsvLayout.encodingParameter(query.get("encoding"));
        var options = new ImportUploads.Options(
                dryRun, delimiter, charset, Actor.current().username());
        UUID id;
        if (request instanceof MultipartHttpServletRequest multipart) {
            MultipartFile file = multipart.getFile("file");
            if (file == null) {
                throw ApiProblem.badRequest("No file part: send the CSV in the multipart field 'file'");
            }
            if (file.isEmpty()) {
                throw ApiProblem.badRequest("Empty file: the 'file' part has no bytes");
            }
            try (InputStream in = file.getInputStream()) {
                id = tasks.start(in, options);
            }
        } else {
            if (request.getContentLengthLong() == 0) {
                throw ApiProblem.badRequest(
                        "No file part: send the CSV as the request body or in the multipart field 'file' (Empty file)");
            }
            if (request.getContentLengthLong() > properties.maxUploadSize().toBytes()) {
                throw ApiProblem.payloadTooLarge("The upload exceeds the import size limit of "
                        + properties.maxUploadSize().toMegabytes() + " MB");
            }
            id = tasks.start(request.getInputStream(), options);
        }
        String statusUrl = "/api/v1/atendimento/task_status/" + id;
        return ResponseEntity.accepted()
                .location(URI.create(statusUrl))
                .body(new Accepted("CSV file is being processed", id, statusUrl));
    }

    private static Map<String, String> query(String queryString) {
        Map<String, String> values = new HashMap<>();
        if (queryString == null) {
            return values;
        }
        for (String pair : queryString.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                values.putIfAbsent(
                        URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("The query string is not valid URL encoding");
            }
        }
        return values;
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Progress(long processedRows, long totalBytes, long processedBytes) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RowErrorView(
            long line, @Nullable String column, @Nullable String value, String code, String message) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Result(
            long totalRows,
            long inserted,
            long updated,
            long unchanged,
            long rejected,
            List<RowErrorView> errors,
            boolean errorsTruncated) {}

    record Status(
            UUID taskId,
            String state,
            boolean dryRun,
            Progress progress,
            Result result,
            @Nullable String failure,
            String errorsUrl) {}

    @GetMapping("/task_status/{taskId}")
    @Operation(summary = "An import's state, progress and (so far) counts and errors")
    Status status(@PathVariable String taskId) {
        UUID id = parse(taskId);
        FieldServiceApi.ImportStatus status = tasks.status(id).orElseThrow(() -> unknown(taskId));
        List<RowErrorView> errors = tasks.rejectedLines(id, properties.errorsShown()).stream()
                .map(e -> new RowErrorView(e.line(), e.column(), e.value(), e.code(), e.message()))
                .toList();
        return new Status(
                id,
                status.state(),
                status.dryRun(),
                new Progress(status.processedRows(), status.totalBytes(), status.processedBytes()),
                new Result(
                        status.totalRows(),
                        status.inserted(),
                        status.updated(),
                        status.unchanged(),
                        status.rejected(),
                        errors,
                        status.rejected() > properties.errorsShown()),
                status.failure(),
                "/api/v1/atendimento/task_status/" + id + "/errors.csv");
    }

    @GetMapping("/task_status/{taskId}/errors.csv")
    @Operation(summary = "Every rejected line with its reason, as CSV")
    void errorsCsv(@PathVariable String taskId, HttpServletResponse response) throws IOException {
        UUID id = parse(taskId);
        if (!tasks.exists(id)) {
            throw unknown(taskId);
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"import-" + id + "-errors.csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        tasks.writeRejectedLines(id, writer);
    }

    private static UUID parse(String taskId) {
        try {
            return UUID.fromString(taskId);
        } catch (IllegalArgumentException e) {
            throw unknown(taskId);
        }
    }

    private static ApiProblem unknown(String taskId) {
        return ApiProblem.notFound("No import task " + taskId);
    }
}
