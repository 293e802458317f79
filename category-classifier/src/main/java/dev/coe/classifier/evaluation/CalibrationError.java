package dev.coe.classifier.evaluation;

/**
 * Expected calibration error (ECE): how far a classifier's confidence is from its accuracy. The
 * predictions are put in equal-width bins by top confidence; ECE is the mean over bins of
 * {@code |accuracy - mean confidence|}, weighted by the share of predictions in the bin. 0 is
 * perfectly calibrated. Stateless and thread-safe.
 */
public final class CalibrationError {

    /** The usual number of bins (Guo et al., 2017). */
    public static final int DEFAULT_BINS = 15;

    private CalibrationError() {
    }

    /** ECE with {@value #DEFAULT_BINS} bins. */
    public static double expected(double[] confidence, boolean[] correct) {
        return expected(confidence, correct, DEFAULT_BINS);
    }

    /**
     * ECE with {@code bins} equal-width bins over [0, 1]; bin {@code b} holds confidences in
     * {@code (b/bins, (b+1)/bins]}, and the first bin also holds 0.
     *
     * @throws IllegalArgumentException if the arrays differ in length or are empty, a confidence is
     *                                  outside [0, 1], or {@code bins < 1}
     */
    public static double expected(double[] confidence, boolean[] correct, int bins) {
        if (confidence.length == 0 || confidence.length != correct.length) {
            throw new IllegalArgumentException("need as many outcomes as confidences (and at least one), but got "
                    + confidence.length + " confidences and " + correct.length + " outcomes");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, but was " + bins);
        }
        double[] confidenceSum = new double[bins];
        double[] correctSum = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < confidence.length; i++) {
            double c = confidence[i];
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("confidence must be between 0 and 1, but was " + c);
            }
            int bin = Math.clamp((int) Math.ceil(c * bins) - 1, 0, bins - 1);
            confidenceSum[bin] += c;
            correctSum[bin] += correct[i] ? 1 : 0;
            count[bin]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(correctSum[b] - confidenceSum[b]) / confidence.length;
            }
        }
        return ece;
    }
}
