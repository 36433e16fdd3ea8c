package com.relaycrm.console.imports;

import com.relaycrm.console.web.ConsoleRoutes;
import com.relaycrm.fieldservice.FieldServiceApi;
import com.relaycrm.fieldservice.FieldServiceApi.ImportStatus;
import com.relaycrm.platform.Actor;
import com.relaycrm.platform.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * Visit CSV imports: upload (with dry-run), a progress bar that polls the task's status, the counts and the rejected
 * lines. Uploading needs ADMIN or AGENT and reading any signed-in user, as {@code /api/v1/atendimento/import_csv}
 * and {@code task_status}.
 */
@Controller
@RequestMapping("/console/imports")
class ImportPages {

    /** Rejected lines shown on the page; the download has all of them. */
    static final int LINES_SHOWN = 20;

    private final FieldServiceApi fieldService;

    ImportPages(FieldServiceApi fieldService) {
        this.fieldService = fieldService;
    }

    @Bean
    static ConsoleRoutes importRoutes() {
        return routes ->
                routes.requestMatchers(HttpMethod.POST, "/console/imports").hasAnyRole("ADMIN", "AGENT");
    }

    @GetMapping
    String page(Model model) {
        model.addAttribute("canImport", canImport());
        return "console/imports/page";
    }

    @PostMapping
    String upload(
            @RequestParam(name = "file", required = false) @Nullable MultipartFile file,
            @RequestParam(name = "dry_run", defaultValue = "false") boolean dryRun,
            @RequestParam(name = "delimiter", required = false) @Nullable String delimiter,
            @RequestParam(name = "encoding", required = false) @Nullable String encoding,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model)
            throws IOException {
        model.addAttribute("canImport", true);
        if (file == null || file.isEmpty()) {
            return problem(model, request, response, "Choose a CSV file to upload (the file is empty or missing).");
        }
        UUID id;
        try (InputStream in = file.getInputStream()) {
            id = fieldService.startImport(
                    in,
                    new FieldServiceApi.ImportOptions(
                            dryRun,
                            blankToNull(delimiter),
                            blankToNull(encoding),
                            Actor.current().username()));
        } catch (ApiProblem refused) {
            response.setStatus(refused.status().value());
            return problem(model, request, response, refused.detail());
        }
        if (request.getHeader("HX-Request") == null) {
            return "redirect:/console/imports/" + id;
        }
        response.setHeader("HX-Push-Url", "/console/imports/" + id);
        status(model, id.toString());
        model.addAttribute("fileName", file.getOriginalFilename());
        return "console/imports/page :: status";
    }

    @GetMapping("/{id}")
    String task(@PathVariable String id, Model model) {
        model.addAttribute("canImport", canImport());
        status(model, id);
        return "console/imports/page";
    }

    @GetMapping("/{id}/status")
    String statusFragment(@PathVariable String id, Model model) {
        status(model, id);
        return "console/imports/page :: status";
    }

    @GetMapping("/{id}/rejected.csv")
    void rejected(@PathVariable String id, HttpServletResponse response) throws IOException {
        UUID task = parse(id);
        // Checked before anything is written, so an unknown id still gets a readable page.
        if (fieldService.importStatus(task).isEmpty()) {
            throw unknown(id);
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"import-" + task + "-rejected.csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        fieldService.writeRejectedLines(task, writer);
    }

    private void status(Model model, String id) {
        UUID task = parse(id);
        ImportStatus status = fieldService.importStatus(task).orElseThrow(() -> unknown(id));
        model.addAttribute("task", status);
        if (status.finished() && status.rejected() > 0) {
            model.addAttribute("rejectedLines", fieldService.rejectedLines(task, LINES_SHOWN));
        }
    }

    private static String problem(Model model, HttpServletRequest request, HttpServletResponse response, String text) {
        if (response.getStatus() < 400) {
            response.setStatus(400);
        }
        model.addAttribute("uploadProblem", text);
        model.addAttribute("problem", text);
        // htmx leaves error answers to console.js, which shows them in the page's message area.
        return request.getHeader("HX-Request") != null ? "console/fragments :: problem" : "console/imports/page";
    }

    private static boolean canImport() {
        Actor me = Actor.current();
        return me != null && me.hasAny(com.relaycrm.platform.Role.ADMIN, com.relaycrm.platform.Role.AGENT);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw unknown(id);
        }
    }

    private static ApiProblem unknown(String id) {
        return ApiProblem.notFound("No import task " + (id.length() > 60 ? id.substring(0, 60) + "..." : id));
    }
}
