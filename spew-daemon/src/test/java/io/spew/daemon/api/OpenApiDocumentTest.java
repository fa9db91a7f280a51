package io.spew.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {
    private static final Pattern ROUTE = Pattern.compile(
            "routes\\.(get|post|delete)\\((ApiServer\\.)?PREFIX \\+ \"([^\"]+)\"|routes\\.(get|post|delete)\\((base|one|keys)"
                    + "( \\+ \"([^\"]*)\")?");

    @Test
    void theDocumentIsOpenApiJson() throws IOException {
        JsonNode document = Json.mapper().readTree(OpenApiDocument.read());
        assertThat(document.get("openapi").asText()).startsWith("3.");
        assertThat(document.get("servers").get(0).get("url").asText()).isEqualTo(ApiServer.PREFIX);
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    }

    /** Every route an endpoint class registers has its path and method in the document. */
    @Test
    void everyRouteIsDocumented() throws IOException {
        JsonNode paths = Json.mapper().readTree(OpenApiDocument.read()).get("paths");
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.list(Paths.get("src/main/java/io/spew/daemon/api"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                String base = constant(source, "base");
                String keys = constant(source, "keys");
                Matcher matcher = ROUTE.matcher(source);
                while (matcher.find()) {
                    String method = matcher.group(1) != null ? matcher.group(1) : matcher.group(4);
                    String path;
                    if (matcher.group(3) != null) {
                        path = matcher.group(3);
                    } else {
                        String root = matcher.group(5).equals("keys") ? keys
                                : matcher.group(5).equals("one") ? base + "/{ref}" : base;
                        path = root + (matcher.group(7) == null ? "" : matcher.group(7));
                    }
                    JsonNode operation = paths.path(path).path(method);
                    if (operation.isMissingNode()) {
                        missing.add(method.toUpperCase() + " " + path + " (" + file.getFileName() + ")");
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    private static String constant(String source, String name) {
        Matcher matcher = Pattern.compile("String " + name + " = ApiServer\\.PREFIX \\+ \"([^\"]+)\"").matcher(source);
        return matcher.find() ? matcher.group(1) : "";
    }
}
