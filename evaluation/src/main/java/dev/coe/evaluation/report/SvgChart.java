package dev.coe.evaluation.report;

import java.util.List;
import java.util.Locale;

/**
 * A quality-versus-cost scatter of one suite, hand-written SVG (small, no dependency): every single expert, random
 * routing, the oracle and the router. The cost axis is the average active parameters when every expert is an open
 * model, else the share of calls sent to closed models (whose size is not public: no size is invented).
 */
final class SvgChart {

    private static final int W = 640;
    private static final int H = 400;
    private static final int LEFT = 60;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private SvgChart() {
    }

    static String render(String title, Figures f, String scale) {
        boolean allOpen = f.lines().stream().allMatch(l -> l.closedShare() == 0);
        String xLabel = allOpen ? "average active parameters (B)" : "share of calls to closed models (%)";
        List<double[]> points = f.lines().stream().filter(l -> l.score() != null)
                .map(l -> new double[] {allOpen ? nz(l.avgActiveParamsB()) : 100 * l.closedShare(), l.score()}).toList();
        double xMax = Math.max(1, points.stream().mapToDouble(p -> p[0]).max().orElse(1)) * 1.05;
        double yMin = points.stream().mapToDouble(p -> p[1]).min().orElse(0);
        double yMax = points.stream().mapToDouble(p -> p[1]).max().orElse(1);
        double pad = Math.max(0.02, (yMax - yMin) * 0.1);
        yMin -= pad;
        yMax += pad;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n".formatted(W, H));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(W / 2.0, 20, "middle", 14, escape(title)));
        int x0 = LEFT;
        int x1 = W - RIGHT;
        int y0 = H - BOTTOM;
        int y1 = TOP;
        svg.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n".formatted(x0, y0, x1, y0));
        svg.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n".formatted(x0, y0, x0, y1));
        for (int i = 0; i <= 4; i++) {
            double xv = xMax * i / 4;
            double yv = yMin + (yMax - yMin) * i / 4;
            double px = x0 + (x1 - x0) * i / 4.0;
            double py = y0 - (y0 - y1) * i / 4.0;
            svg.append(text(px, y0 + 15, "middle", 10, fmt(xv, 0)));
            svg.append(text(x0 - 5, py + 3, "end", 10, fmt(yv, 2)));
        }
        svg.append(text((x0 + x1) / 2.0, H - 12, "middle", 11, xLabel));
        svg.append(text(14, (y0 + y1) / 2.0, "middle", 11, "score, " + escape(scale), " transform=\"rotate(-90 14 %.1f)\"".formatted((y0 + y1) / 2.0)));
        for (Line l : f.lines()) {
            if (l.score() == null) {
                continue;
            }
            double xv = allOpen ? nz(l.avgActiveParamsB()) : 100 * l.closedShare();
            double px = x0 + (x1 - x0) * xv / xMax;
            double py = y0 - (y0 - y1) * (l.score() - yMin) / (yMax - yMin);
            String color = switch (l.kind()) {
                case "router" -> "#d62728";
                case "random" -> "#7f7f7f";
                case "oracle" -> "#2ca02c";
                default -> "#1f77b4";
            };
            svg.append("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"/>\n".formatted(px, py,
                    l.kind().equals("router") ? 6 : 4, color));
            svg.append(text(px + 7, py + 4, "start", 10, escape(l.name() + " " + fmt(l.score(), 2))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double nz(Double v) {
        return v == null ? 0 : v;
    }

    private static String text(double x, double y, String anchor, int size, String s) {
        return text(x, y, anchor, size, s, "");
    }

    private static String text(double x, double y, String anchor, int size, String s, String extra) {
        return "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s>%s</text>\n".formatted(x, y, anchor,
                size, extra, s);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
