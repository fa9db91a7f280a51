package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spew appliance apply FILE...}: sends each file to the daemon, which parses and keeps it. */
@Command(name = "apply",
        description = "Applies appliances from YAML or JSON files (one per file, or those under 'appliances:' of an"
                + " environment file), replacing those of the same name.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew appliance apply hello.yaml",
            "  spew appliance apply appliances/*.yaml",
            "  spew appliance apply spew.yaml            the appliances of an environment file",
        })
final class ApplianceApplyCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Appliance files (YAML or JSON).")
    List<String> files;

    @Override
    public Integer call() {
        return forEach(files, file -> {
            for (Appliance appliance : client().applyAll(file, read(file))) {
                out().println("applied " + appliance.name());
            }
        });
    }

    private static String read(String file) {
        try {
            return Files.readString(Paths.get(file), UTF_8);
        } catch (NoSuchFileException e) {
            throw new SpewException(ErrorCode.NOT_FOUND, file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
