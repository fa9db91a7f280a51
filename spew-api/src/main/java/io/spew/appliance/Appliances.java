package io.spew.appliance;

import java.nio.file.Path;
import java.util.List;

/** The appliances applied to this host. */
public interface Appliances {
    /**
     * Parses one appliance from YAML or JSON text and applies it, replacing one of the same name.
     * Errors ({@code INVALID_APPLIANCE}) name the source and the line.
     *
     * @param source where the text came from, used in errors
     */
    Appliance apply(String source, String content);

    /**
     * Applies the appliance of an appliance file, or every appliance under {@code appliances:} of an
     * environment file (its counts are left alone: see {@code spew start}); all or none.
     */
    List<Appliance> applyAll(String source, String content);

    /** Reads a YAML or JSON file and applies the appliance it holds. */
    Appliance apply(Path file);

    /** Applies an appliance built in code. */
    Appliance apply(Appliance appliance);

    /**
     * One appliance with what it extends resolved: its parents' values, then its own. A missing
     * parent or a cycle throws {@code INVALID_APPLIANCE} naming them.
     */
    Appliance resolve(String name);

    /** Each resolved value of an appliance with the appliance and the place that set it, sorted by key. */
    List<ExplainedValue> explain(String name);

    /** Every appliance, sorted by name. */
    List<Appliance> list();

    /** One appliance; throws {@code APPLIANCE_NOT_FOUND}. */
    Appliance get(String name);

    /** Removes an appliance; its instances keep running. */
    void remove(String name);
}
