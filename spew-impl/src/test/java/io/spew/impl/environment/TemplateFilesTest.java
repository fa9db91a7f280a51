package io.spew.impl.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.environment.StartOptions;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code templates/<appliance>/**.spewtmpl} next to an environment file, rendered for each instance. */
class TemplateFilesTest {
    private static final String FILE = """
            appliances:
              db:
                runtime: shell
                command: "exec sleep 300"
                services: [{ name: db, port: "5432" }]
              web:
                runtime: shell
                requires: [db]
                options: { greeting: hello }
                command: ["/bin/sh", "-c", "cat ${instance.files}/conf/web.conf; exec sleep 300"]
            instances: { db: 1, web: 2 }
            """;
    private static final String TEMPLATE = """
            name=${instance.name} index=${instance.index} id=${instance.id}
            host=${host.name} ip=${host.ip}
            home=${env.HOME} db=${service.db.addresses}
            greeting=${greeting} colour=${colour:-blue} literal=$${kept}
            files=${instance.files}
            """;

    @TempDir
    Path data;

    @TempDir
    Path directory;

    private Spew spew;

    @BeforeEach
    void start() {
        spew = SpewEngine.builder().dataDirectory(data).start();
    }

    @AfterEach
    void close() {
        spew.instances().list().stream().filter(i -> i.state().isActive()).forEach(i -> spew.instances().stop(i.name()));
        spew.close();
    }

    @Test
    void everyKindOfValueIsRenderedIntoTheInstancesOwnDirectory() throws Exception {
        Files.writeString(directory.resolve("spew.yaml"), FILE);
        Files.createDirectories(directory.resolve("templates/web/conf"));
        Files.writeString(directory.resolve("templates/web/conf/web.conf.spewtmpl"), TEMPLATE);
        Files.writeString(directory.resolve("templates/web/conf/ignored.txt"), "not a template");
        spew.environments().start(EnvironmentFileLoader.load(directory.resolve("spew.yaml")), null, StartOptions.defaults());

        Instance web = spew.instances().get("web-2");
        Path files = data.resolve("instances").resolve(web.id().value()).resolve("files");
        assertThat(web.spec().env()).containsEntry("SPEW_FILES", files.toString());
        String rendered = Files.readString(files.resolve("conf/web.conf"));
        String db = spew.services().list().get(0).addresses().get(0);
        assertThat(rendered).isEqualTo("name=web-2 index=2 id=" + web.id().value() + "\n"
                + "host=" + spew.hosts().list().get(0).name() + " ip=" + db.substring(0, db.indexOf(':')) + "\n"
                + "home=" + System.getenv("HOME") + " db=" + db + "\n"
                + "greeting=hello colour=blue literal=${kept}\n"
                + "files=" + files + "\n");
        assertThat(Files.list(files.resolve("conf")).toList()).hasSize(1);
        Path log = spew.instances().log("web-2", io.spew.instance.LogStream.STDOUT);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Files.readString(log).contains("files=") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(log)).isEqualTo(rendered);
        assertThat(spew.instances().get("db-1").spec().env()).doesNotContainKey("SPEW_FILES");
    }

    @Test
    void theTemplatesOfABuildAreRenderedAndThoseNextToTheFileWin() throws Exception {
        Path tree = Files.createDirectories(directory.resolve("tree"));
        Files.createDirectories(tree.resolve("etc/app"));
        Files.writeString(tree.resolve("etc/app/app.conf.spewtmpl"), "me=${instance.name} db=${service.db.addresses}\n");
        Files.writeString(tree.resolve("etc/app/both.conf.spewtmpl"), "from the build\n");
        Files.writeString(tree.resolve("etc/app/plain.conf"), "not a template\n");
        Files.createSymbolicLink(tree.resolve("etc/app/link.conf.spewtmpl"), Path.of("/etc/hostname"));
        CreatedBuild created = spew.builds().create(new BuildCreate(tree, "app", "1.0", directory.resolve("app.tar.gz"),
                null, false));
        spew.builds().importBuild(BuildImport.of(created.archive()), ImportProgress.NONE);
        Files.writeString(directory.resolve("spew.yaml"), FILE.replace("options: { greeting: hello }",
                "options: { greeting: hello }\n    build: app@1.0"));
        Files.createDirectories(directory.resolve("templates/web/etc/app"));
        Files.writeString(directory.resolve("templates/web/etc/app/both.conf.spewtmpl"), "from next to the file\n");
        spew.environments().start(EnvironmentFileLoader.load(directory.resolve("spew.yaml")), null, StartOptions.defaults());

        Instance web = spew.instances().get("web-1");
        assertThat(web.spec().build()).isEqualTo(created.id().toString());
        Path files = Path.of(web.spec().env().get("SPEW_FILES"));
        assertThat(Files.readString(files.resolve("etc/app/app.conf")))
                .isEqualTo("me=web-1 db=" + spew.services().list().get(0).addresses().get(0) + "\n");
        assertThat(Files.readString(files.resolve("etc/app/both.conf"))).isEqualTo("from next to the file\n");
        assertThat(files.resolve("etc/app/plain.conf")).doesNotExist();
        assertThat(files.resolve("etc/app/link.conf")).as("a link is not a template").doesNotExist();
    }

    @Test
    void aTemplateWithoutAValueIsAConfigErrorAtItsLineAndColumn() throws Exception {
        Files.writeString(directory.resolve("spew.yaml"), FILE);
        Files.createDirectories(directory.resolve("templates/web"));
        Path template = directory.resolve("templates/web/app.conf.spewtmpl");
        Files.writeString(template, "ok=${greeting}\n  bad=${nosuch}\n");
        assertThatThrownBy(() -> spew.environments().start(EnvironmentFileLoader.load(directory.resolve("spew.yaml")),
                null, StartOptions.defaults())).isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).startsWith(template + ":2:7: ${nosuch} has no value");
                });
        assertThat(spew.instances().list()).isEmpty();
        assertThat(spew.appliances().list()).isEmpty();
    }
}
