package io.spew.impl.build;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.environment.ApplianceVersion;
import io.spew.environment.Environments;
import io.spew.appliance.Appliances;
import io.spew.Registration;
import io.spew.build.Build;
import io.spew.build.BuildFetch;
import io.spew.build.BuildId;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.Builds;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.impl.os.FileSystemSync;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.CorruptFiles;
import io.spew.impl.state.CorruptStateException;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.StateFiles;
import io.spew.impl.trust.SignatureVerifier;
import io.spew.instance.Instance;
import io.spew.instance.Instances;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The builds of this host: {@code builds/<sha256>/rootfs} (the read-only lower layer of every
 * instance of the build) and {@code builds/<sha256>/build.json}. A build appears there only whole:
 * it is unpacked into a staging directory and renamed into place; staging and half-removed builds
 * left by a crash are cleaned at start. Each build keeps the archive it was imported from and its signature
 * ({@code archive}, {@code signature}), which other hosts of a cluster fetch ({@link #keptArchive}).
 */
@Singleton
public final class BuildStore implements Builds {
    private static final System.Logger LOG = System.getLogger(BuildStore.class.getName());
    private static final String TRASH_PREFIX = ".trash-";
    private static final String BUILD_FILE = "build.json";

    private final Path directory;
    private final BuildImporter importer;
    private final BuildCreator creator;
    private final Provider<Appliances> appliances;
    private final Provider<Instances> instances;
    private final Provider<Environments> environments;
    private final Map<String, Build> builds = new ConcurrentHashMap<>();
    private final List<Consumer<BuildFetch>> fetchListeners = new CopyOnWriteArrayList<>();

    @Inject
    public BuildStore(DataDirectory dataDirectory, SignatureVerifier verifier, BuildCreator creator,
            Provider<Appliances> appliances, Provider<Instances> instances, Provider<Environments> environments) {
        this.directory = dataDirectory.builds();
        this.importer = new BuildImporter(directory, verifier);
        this.creator = requireNonNull(creator, "creator is null");
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.environments = requireNonNull(environments, "environments is null");
        load();
    }

    private void load() {
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(BuildImporter.STAGING_PREFIX) || name.startsWith(TRASH_PREFIX)) {
                    LOG.log(System.Logger.Level.INFO, "removing " + entry + ", left by an interrupted import or removal");
                    BuildImporter.discard(entry);
                } else if (Files.isRegularFile(entry.resolve(BUILD_FILE))) {
                    try {
                        Build build = StateFiles.read(entry.resolve(BUILD_FILE), Build.class);
                        builds.put(build.id().sha256(), build);
                    } catch (CorruptStateException e) {
                        CorruptFiles.setAside(e, "Build sha256:" + name + " is not listed: remove " + entry
                                + " and import its archive again ('spew build import FILE')");
                    }
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Build> list() {
        return builds.values().stream().sorted(Comparator.comparing(Build::importedAt).reversed()
                .thenComparing(build -> build.id().sha256())).toList();
    }

    @Override
    public Build get(String ref) {
        return BuildReferences.resolve(ref, builds.values());
    }

    /** The unpacked root filesystem of a build. */
    public Path rootfs(Build build) {
        return directory.resolve(build.id().sha256()).resolve("rootfs");
    }

    @Override
    public Build importBuild(BuildImport request, ImportProgress progress) {
        return importBuild(request, null, progress);
    }

    /**
     * Imports an archive that must be the build {@code expected} (one fetched from another host): verified as
     * {@link #importBuild(BuildImport, ImportProgress)} verifies, and refused, leaving nothing behind, when its
     * sha256 is another.
     */
    public Build importExpected(BuildImport request, BuildId expected, ImportProgress progress) {
        return importBuild(request, requireNonNull(expected, "expected is null"), progress);
    }

    private Build importBuild(BuildImport request, BuildId expected, ImportProgress progress) {
        BuildImporter.StagedBuild staged = importer.stage(request, progress == null ? ImportProgress.NONE : progress);
        Build build = staged.build();
        if (expected != null && !expected.equals(build.id())) {
            BuildImporter.discard(staged.staging());
            throw new SpewException(ErrorCode.INVALID_BUILD, request.archive() + " is " + build.id() + ", not the "
                    + expected + " asked for: not kept");
        }
        synchronized (this) {
            Build existing = builds.get(build.id().sha256());
            if (existing != null) {
                BuildImporter.discard(staged.staging());
                return existing;
            }
            StateFiles.write(staged.staging().resolve(BUILD_FILE), build);
            // Every file of the build on disk before the build appears: a machine crash must not
            // leave a build in place whose files were never written.
            FileSystemSync.syncFileSystemOf(staged.staging());
            try {
                Files.move(staged.staging(), directory.resolve(build.id().sha256()), StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(directory);
            } catch (IOException e) {
                BuildImporter.discard(staged.staging());
                throw new SpewException(ErrorCode.IO_ERROR, "cannot put build " + build.id() + " in place: " + e, e);
            }
            builds.put(build.id().sha256(), build);
        }
        LOG.log(System.Logger.Level.INFO, "imported " + build.reference() + " as " + build.id()
                + (build.unsigned() ? " UNSIGNED" : " signed by " + build.signer().fingerprint()));
        return build;
    }

    /**
     * The archive a build was imported from and its detached signature (null for a build imported unsigned), as
     * kept in the store; empty for a build this host lacks or imported before archives were kept.
     */
    public Optional<KeptArchive> keptArchive(BuildId id) {
        Build build = builds.get(id.sha256());
        Path archive = directory.resolve(id.sha256()).resolve(BuildImporter.ARCHIVE);
        if (build == null || !Files.isRegularFile(archive)) {
            return Optional.empty();
        }
        Path signature = directory.resolve(id.sha256()).resolve(BuildImporter.SIGNATURE);
        return Optional.of(new KeptArchive(build, archive, Files.isRegularFile(signature) ? signature : null));
    }

    /** A build's archive and signature files in the store; {@code signature} is null for an unsigned build. */
    public record KeptArchive(Build build, Path archive, Path signature) {}

    /** A directory of its own under the store's, removed at the next start if it is left behind. */
    public Path newScratch() {
        return importer.createStaging();
    }

    /** Removes a directory {@link #newScratch} made; a failure is logged. */
    public static void discardScratch(Path scratch) {
        BuildImporter.discard(scratch);
    }

    @Override
    public Registration onFetch(Consumer<BuildFetch> listener) {
        fetchListeners.add(listener);
        return () -> fetchListeners.remove(listener);
    }

    /** Tells every {@link #onFetch} listener of a step of a fetch; a listener that throws is logged. */
    public void announce(BuildFetch step) {
        for (Consumer<BuildFetch> listener : fetchListeners) {
            try {
                listener.accept(step);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a build fetch listener failed: " + e);
            }
        }
    }

    @Override
    public CreatedBuild create(BuildCreate request) {
        return creator.create(request);
    }

    @Override
    public void remove(String ref) {
        Build build = get(ref);
        List<String> users = users(build);
        if (!users.isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_STATE, "build " + build.reference() + " (" + build.id()
                    + ") is used by " + String.join(", ", users) + ": remove those first");
        }
        synchronized (this) {
            Path trash = directory.resolve(TRASH_PREFIX + build.id().sha256());
            try {
                Files.move(directory.resolve(build.id().sha256()), trash, StandardCopyOption.ATOMIC_MOVE);
                builds.remove(build.id().sha256());
                AtomicFiles.syncDirectory(directory);
            } catch (IOException e) {
                throw new SpewException(ErrorCode.IO_ERROR, "cannot remove build " + build.id() + ": " + e, e);
            }
            BuildImporter.discard(trash);
        }
    }

    @Override
    public synchronized List<Build> prune() {
        List<Build> removed = new ArrayList<>();
        for (Build build : list()) {
            if (users(build).isEmpty()) {
                remove(build.id().toString());
                removed.add(build);
            }
        }
        return removed;
    }

    private List<String> users(Build build) {
        List<String> users = new ArrayList<>();
        for (Appliance appliance : appliances.get().list()) {
            if (appliance.build() != null && refersTo(appliance.build(), build)) {
                users.add("appliance " + appliance.name());
            }
            // a version a rollback may go back to keeps its build
            for (ApplianceVersion version : environments.get().history(appliance.name())) {
                String ref = version.resolved().build();
                if (ref != null && !ref.contains("${") && refersTo(ref, build)) {
                    users.add("version " + version.version() + " of appliance " + appliance.name());
                }
            }
        }
        for (Instance instance : instances.get().list()) {
            if (build.id().toString().equals(instance.spec().build())) {
                users.add("instance " + instance.name());
            }
        }
        return users;
    }

    private boolean refersTo(String ref, Build build) {
        try {
            return get(ref).id().equals(build.id());
        } catch (SpewException e) {
            // a reference with ${...} or to another build that is gone: not this one
            return false;
        }
    }
}
