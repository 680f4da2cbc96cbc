package dev.flushkata.bench;

import dev.flushkata.plumbing.Palette;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/** The run at a glance, as a PNG (JFreeChart, Palette's colours): requests/s against direct, CPU per request. */
final class BenchChart {

    private BenchChart() {
    }

    static void write(Path png, String title, String subtitle, List<TargetFigures> targets, List<Body> bodies)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] direct = bodies.stream().mapToDouble(b -> targets.get(0).throughput(b).perSecond()).toArray();
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis());
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        CategoryPlot ratios = bars(targets, bodies, "requests/s, x direct", "0.00",
                (b, t) -> t.perSecond() / direct[bodies.indexOf(b)]);
        plot.add(ratios, 1);
        plot.add(bars(targets, bodies, "CPU us per request (proxy; direct: backend)", "0",
                (b, t) -> t.cpuMicrosPerRequest()), 1);
        plot.setFixedLegendItems(ratios.getLegendItems()); // once, not once per part
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(subtitle));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 700);
    }

    /** A value of one target's throughput for one body. */
    private interface Figure {
        double of(Body body, Throughput t);
    }

    private static CategoryPlot bars(List<TargetFigures> targets, List<Body> bodies, String axis, String format,
            Figure figure) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Body b : bodies) {
            for (TargetFigures t : targets) {
                double v = figure.of(b, t.throughput(b));
                data.addValue(Double.isNaN(v) ? null : v, b.title + " body", label(t));
            }
        }
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < bodies.size(); i++) {
            r.setSeriesPaint(i, new Color(Palette.rgb(i + 1)));
        }
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(format)));
        r.setDefaultItemLabelsVisible(true);
        CategoryPlot p = new CategoryPlot(data, null, new NumberAxis(axis), r);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }

    /** "direct", or "lesson-02-fixed, flush 100ms". */
    static String label(TargetFigures t) {
        return t.flush.equals("-") ? t.target : t.target + ", flush " + t.flush;
    }
}
