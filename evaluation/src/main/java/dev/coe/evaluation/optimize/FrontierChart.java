package dev.coe.evaluation.optimize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link FrontierReport} as a standalone SVG: held-out quality against average cost, the frontier as a line,
 * each single expert as a labelled dot, the live mapping and the budget answers highlighted. No dependencies, so the
 * CLI can write it next to the report. Stateless.
 */
public final class FrontierChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private FrontierChart() {
    }

    public static String svg(FrontierReport report) {
        List<FrontierReport.Point> all = new ArrayList<>(report.frontier());
        all.addAll(report.singles());
        if (report.live() != null) {
            all.add(report.live());
        }
        double maxX = all.stream().mapToDouble(FrontierReport.Point::cost).max().orElse(1) * 1.05;
        double minY = all.stream().mapToDouble(p -> p.quality().mean()).min().orElse(0);
        double maxY = all.stream().mapToDouble(p -> p.quality().mean()).max().orElse(1);
        double pad = Math.max(0.01, (maxY - minY) * 0.05);
        Axes axes = new Axes(0, maxX, minY - pad, maxY + pad);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(WIDTH / 2.0, 22, "middle", 14, escape(report.suite() + ": held-out quality vs average cost ("
                + report.classifier() + ")")));
        axes.draw(s, report.basis().unit());
        StringBuilder line = new StringBuilder();
        for (FrontierReport.Point p : report.frontier()) {
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", axes.x(p.cost()), axes.y(p.quality().mean())));
        }
        s.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"").append(line).append("\"/>\n");
        for (FrontierReport.Point p : report.frontier()) {
            s.append(circle(axes.x(p.cost()), axes.y(p.quality().mean()), 2, "#1f77b4", escape(tooltip(p))));
        }
        for (FrontierReport.Point p : report.singles()) {
            double x = axes.x(p.cost());
            double y = axes.y(p.quality().mean());
            s.append(circle(x, y, 4, "#888", escape(tooltip(p))));
            s.append(text(x + 6, y - 4, "start", 9, escape(p.label())));
        }
        for (FrontierReport.Point p : report.budgets().values()) {
            s.append(circle(axes.x(p.cost()), axes.y(p.quality().mean()), 6, "#d62728", escape(tooltip(p))));
        }
        if (report.live() != null) {
            FrontierReport.Point p = report.live();
            s.append(circle(axes.x(p.cost()), axes.y(p.quality().mean()), 6, "#2ca02c", escape(tooltip(p))));
            s.append(text(axes.x(p.cost()) + 8, axes.y(p.quality().mean()) + 12, "start", 11, "live mapping"));
        }
        s.append(text(LEFT + 10, HEIGHT - 8, "start", 10, "blue: frontier (fitted on the training split, scored on the "
                + "held-out split); grey: single experts; red: budget answers; green: live mapping"));
        s.append("</svg>\n");
        return s.toString();
    }

    private static String tooltip(FrontierReport.Point p) {
        return String.format(Locale.ROOT, "%s: cost %.2f, quality %s %s", p.label(), p.cost(), p.quality(), p.mapping());
    }

    private static String circle(double x, double y, double r, String fill, String title) {
        return String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" fill-opacity=\"0.8\">"
                + "<title>%s</title></circle>%n", x, y, r, fill, title);
    }

    private static String text(double x, double y, String anchor, int size, String body) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, body);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Maps data coordinates to the plot area and draws the axes with five ticks each. */
    private record Axes(double x0, double x1, double y0, double y1) {

        double x(double v) {
            return LEFT + (v - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
        }

        double y(double v) {
            return HEIGHT - BOTTOM - (v - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);
        }

        void draw(StringBuilder s, String unit) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                    LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                    LEFT, TOP, LEFT, HEIGHT - BOTTOM));
            for (int i = 0; i <= 5; i++) {
                double vx = x0 + (x1 - x0) * i / 5;
                double vy = y0 + (y1 - y0) * i / 5;
                s.append(text(x(vx), HEIGHT - BOTTOM + 16, "middle", 10, String.format(Locale.ROOT, "%.1f", vx)));
                s.append(text(LEFT - 6, y(vy) + 4, "end", 10, String.format(Locale.ROOT, "%.3f", vy)));
            }
            s.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - BOTTOM + 34, "middle", 11,
                    escape("average cost per request, " + unit)));
            s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
                    + "text-anchor=\"middle\" font-size=\"11\">held-out quality</text>%n", HEIGHT / 2, HEIGHT / 2));
        }
    }
}
