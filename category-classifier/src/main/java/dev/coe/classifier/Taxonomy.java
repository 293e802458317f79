package dev.coe.classifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The routing taxonomy: the categories a classifier may answer, in a fixed order (the order of
 * {@code config/categories.yaml}). Immutable and thread-safe.
 * <p>
 * File format:
 * <pre>{@code
 * categories:
 *   - id: coding
 *     description: Writing, explaining, reviewing or debugging code.
 * }</pre>
 * Ids are lower-case ({@code [a-z][a-z0-9_-]*}) and unique; every category needs a description.
 */
public final class Taxonomy {

    private static final Pattern ID_PATTERN = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<Category> categories;
    private final List<String> ids;

    private Taxonomy(List<Category> categories) {
        this.categories = List.copyOf(categories);
        this.ids = this.categories.stream().map(Category::id).toList();
    }

    /**
     * Builds a taxonomy from categories given in code (tests, tools).
     *
     * @throws IllegalArgumentException if the list is empty, an id is not lower-case, or an id repeats
     */
    public static Taxonomy of(List<Category> categories) {
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("a taxonomy needs at least one category");
        }
        Set<String> seen = new HashSet<>();
        for (Category category : categories) {
            if (!ID_PATTERN.matcher(category.id()).matches()) {
                throw new IllegalArgumentException(
                        "category id must match " + ID_PATTERN + ", but was '" + category.id() + "'");
            }
            if (!seen.add(category.id())) {
                throw new IllegalArgumentException("duplicate category id '" + category.id() + "'");
            }
        }
        return new Taxonomy(categories);
    }

    /**
     * Reads a taxonomy from a YAML file such as {@code config/categories.yaml}.
     *
     * @throws ClassifierConfigException if the file is missing, unreadable, empty or not valid YAML,
     *                                   or a category has a missing, malformed or duplicate id or no description;
     *                                   the message names the file and the field
     */
    public static Taxonomy load(Path categoriesYaml) {
        JsonNode root = readYaml(categoriesYaml);
        JsonNode list = root.get("categories");
        if (list == null || list.isNull()) {
            throw new ClassifierConfigException(categoriesYaml, 0, "missing top-level field 'categories'");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw new ClassifierConfigException(categoriesYaml, 0, "'categories' must be a non-empty list");
        }
        List<Category> categories = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String field = "categories[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw new ClassifierConfigException(
                        categoriesYaml, 0, field + " must be a mapping with 'id' and 'description'");
            }
            String id = requiredText(categoriesYaml, entry, field, "id", "");
            if (!ID_PATTERN.matcher(id).matches()) {
                throw new ClassifierConfigException(categoriesYaml, 0,
                        field + ".id must match " + ID_PATTERN + " (lower-case), but was '" + id + "'");
            }
            if (!seen.add(id)) {
                throw new ClassifierConfigException(
                        categoriesYaml, 0, field + ".id: duplicate category id '" + id + "'");
            }
            String description = requiredText(categoriesYaml, entry, field, "description", " (category '" + id + "')");
            categories.add(new Category(id, description));
        }
        return new Taxonomy(categories);
    }

    /** The categories in taxonomy order. */
    public List<Category> categories() {
        return categories;
    }

    /** The category ids in taxonomy order. */
    public List<String> ids() {
        return ids;
    }

    /** The number of categories. */
    public int size() {
        return categories.size();
    }

    /** Whether {@code id} is one of this taxonomy's category ids. */
    public boolean contains(String id) {
        return ids.contains(id);
    }

    /** The category with this id, or empty if there is none. */
    public Optional<Category> findCategory(String id) {
        return categories.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return "Taxonomy" + ids;
    }

    private static JsonNode readYaml(Path file) {
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                throw new ClassifierConfigException(file, 0, "file is empty; expected a 'categories' list");
            }
            JsonNode root = YAML.readTree(text);
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ClassifierConfigException(file, 0, "file has no content; expected a 'categories' list");
            }
            if (!root.isObject()) {
                throw new ClassifierConfigException(file, 0,
                        "expected a mapping with a 'categories' list at the top level");
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new ClassifierConfigException(file, 0, "file not found", e);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ClassifierConfigException(file, line, "not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ClassifierConfigException(file, 0, "cannot read file: " + e, e);
        }
    }

    private static String requiredText(Path file, JsonNode entry, String field, String name, String hint) {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            throw new ClassifierConfigException(file, 0, field + "." + name + " is missing" + hint);
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new ClassifierConfigException(file, 0,
                    field + "." + name + " must be non-blank text, but was " + value + hint);
        }
        return value.asText().strip();
    }
}
