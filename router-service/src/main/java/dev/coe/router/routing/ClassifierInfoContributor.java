package dev.coe.router.routing;

import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.util.Map;

/**
 * Adds the category classifier to {@code /actuator/info} (exposed through
 * {@code management.endpoints.web.exposure.include}): its name, its version (model format and
 * training data hash for a trained classifier), its categories, the ONNX Runtime threads of each
 * forward pass and the bound of its vector cache (0: off), so that an operator can tell which model routes the
 * traffic, and how. Thread-safe.
 */
class ClassifierInfoContributor implements InfoContributor {

    private final CategoryClassifier classifier;
    private final int onnxThreads;
    private final long vectorCacheBytes;

    ClassifierInfoContributor(CategoryClassifier classifier, int onnxThreads, long vectorCacheBytes) {
        this.classifier = classifier;
        this.onnxThreads = onnxThreads;
        this.vectorCacheBytes = vectorCacheBytes;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("classifier", Map.of(
                "name", classifier.name(),
                "version", classifier.version(),
                "categories", classifier.categories().stream().map(Category::id).toList(),
                "onnxThreads", onnxThreads,
                "vectorCacheBytes", vectorCacheBytes));
    }
}
