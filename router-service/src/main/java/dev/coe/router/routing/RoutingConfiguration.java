package dev.coe.router.routing;

import dev.coe.classifier.CachingClassifier;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Category;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.router.system.CoeProperties;
import dev.coe.router.system.ConfigFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.stream.Collectors;

/** Wires the two routing steps: the classifier from {@code config/}, and the table from {@code config/routing.yaml}. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutingConfiguration.class);

    @Bean
    CategoryClassifier categoryClassifier(ConfigFiles files, CoeProperties properties) {
        long start = System.nanoTime();
        // Loads config/classifier/model.json when it matches the examples, else trains from them (a few seconds).
        CategoryClassifier classifier = EmbeddingLogisticClassifier.fromConfig(files.dir(),
                EmbeddingCentroidClassifier.defaultEmbeddingModel(properties.classifierOnnxThreads()),
                EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID);
        log.info("classifier {} ready in {} ms with categories {}, {} ONNX Runtime thread(s) per pass", classifier.version(),
                (System.nanoTime() - start) / 1_000_000, classifier.categories().stream().map(Category::id).toList(),
                properties.classifierOnnxThreads());
        // A repeated conversation (client retries, evaluation suites, cached answers asked for again) skips the embedding;
        // the others are embedded off the request's virtual thread, so that the native pass does not pin its carrier,
        // and under overload a request that would wait too long for a pass is routed on the fallback chain instead.
        return new CachingClassifier(new OffCarrierClassifier(classifier, properties.classifierMaxWait()),
                CachingClassifier.DEFAULT_MAX_CHARS);
    }

    @Bean
    ClassifierInfoContributor classifierInfoContributor(CategoryClassifier classifier, CoeProperties properties) {
        return new ClassifierInfoContributor(classifier, properties.classifierOnnxThreads());
    }

    @Bean
    Router router(CategoryClassifier classifier, ExpertRegistry experts, ConfigFiles files) {
        RoutingTable table = RoutingTableLoader.parse(files.read("routing.yaml"),
                experts.all().stream().map(Expert::id).collect(Collectors.toSet()),
                classifier.categories().stream().map(Category::id).collect(Collectors.toSet()));
        return new Router(classifier, experts, table);
    }
}
