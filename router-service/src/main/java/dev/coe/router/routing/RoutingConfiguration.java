package dev.coe.router.routing;

import dev.coe.classifier.CachingClassifier;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Category;
import dev.coe.classifier.embedding.CachingEmbeddingModel;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.router.system.CoeProperties;
import dev.coe.router.system.ConfigFiles;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.stream.Collectors;

/** Wires the two routing steps: the classifier from {@code config/}, and the table from {@code config/routing.yaml}. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutingConfiguration.class);

    /** The {@code cache} tag of the classifier's vector cache in the metrics. */
    private static final String VECTOR_CACHE_NAME = "coe.classifier.vectors";

    @Bean
    CategoryClassifier categoryClassifier(ConfigFiles files, CoeProperties properties, MeterRegistry meters) {
        long start = System.nanoTime();
        EmbeddingModel model = EmbeddingCentroidClassifier.defaultEmbeddingModel(properties.classifierOnnxThreads());
        long cacheBytes = properties.classifierVectorCache().toBytes();
        if (cacheBytes > 0) {
            CachingEmbeddingModel cache = new CachingEmbeddingModel(model, cacheBytes);
            // Reported like the response cache: cache_gets_total{cache="coe.classifier.vectors", result="hit|miss"},
            // cache_size, cache_evictions_total and the rest of Micrometer's Caffeine binder.
            cache.bindMetrics(vectors -> CaffeineCacheMetrics.monitor(meters, vectors, VECTOR_CACHE_NAME));
            model = cache;
        }
        // Loads config/classifier/model.json when it matches the examples, else trains from them (a few seconds).
        CategoryClassifier classifier = EmbeddingLogisticClassifier.fromConfig(files.dir(), model,
                EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID);
        log.info("classifier {} ready in {} ms with categories {}, {} ONNX Runtime thread(s) per pass, vector cache {}",
                classifier.version(), (System.nanoTime() - start) / 1_000_000,
                classifier.categories().stream().map(Category::id).toList(), properties.classifierOnnxThreads(),
                cacheBytes > 0 ? properties.classifierVectorCache() : "off");
        // A repeated conversation (client retries, evaluation suites, cached answers asked for again) skips the embedding;
        // the others are embedded off the request's virtual thread, so that the native pass does not pin its carrier,
        // and under overload a request that would wait too long for a pass is routed on the fallback chain instead.
        return new CachingClassifier(new OffCarrierClassifier(classifier, properties.classifierMaxWait()),
                CachingClassifier.DEFAULT_MAX_CHARS);
    }

    @Bean
    ClassifierInfoContributor classifierInfoContributor(CategoryClassifier classifier, CoeProperties properties) {
        return new ClassifierInfoContributor(classifier, properties.classifierOnnxThreads(),
                properties.classifierVectorCache().toBytes());
    }

    @Bean
    Router router(CategoryClassifier classifier, ExpertRegistry experts, ConfigFiles files) {
        RoutingTable table = RoutingTableLoader.parse(files.read("routing.yaml"),
                experts.all().stream().map(Expert::id).collect(Collectors.toSet()),
                classifier.categories().stream().map(Category::id).collect(Collectors.toSet()));
        return new Router(classifier, experts, table);
    }
}
