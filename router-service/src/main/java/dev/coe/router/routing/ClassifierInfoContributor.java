package dev.coe.router.routing;

import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.util.Map;

/**
 * Adds the category classifier to {@code /actuator/info} (exposed through
 * {@code management.endpoints.web.exposure.include}): its name, its version (model format and
 * training data hash for a trained classifier) and its categories, so that an operator can tell
 * which model routes the traffic. Thread-safe.
 */
class ClassifierInfoContributor implements InfoContributor {

    private final CategoryClassifier classifier;

    ClassifierInfoContributor(CategoryClassifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("classifier", Map.of(
                "name", classifier.name(),
                "version", classifier.version(),
                "categories", classifier.categories().stream().map(Category::id).toList()));
    }
}
