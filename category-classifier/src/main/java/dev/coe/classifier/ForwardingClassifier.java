package dev.coe.classifier;

import java.util.List;
import java.util.Objects;

/**
 * Base of a classifier that wraps another to change how {@link #classify} runs (remembering answers, running them on
 * other threads) but not what it answers: the taxonomy, name and version are the wrapped classifier's.
 */
public abstract class ForwardingClassifier implements CategoryClassifier {

    /** The wrapped classifier, which does the classifying. */
    protected final CategoryClassifier delegate;

    protected ForwardingClassifier(CategoryClassifier delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public List<Category> categories() {
        return delegate.categories();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String version() {
        return delegate.version();
    }
}
