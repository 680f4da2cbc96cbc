package dev.flushkata.demo;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The chart to keep: live flusher threads over time, one line per lesson, as a PNG (JFreeChart). */
final class ThreadChart {

    /** Okabe and Ito's colour-blind-safe colours: vermillion (the leak), blue, bluish green, reddish purple, orange. */
    static final java.awt.Color[] PALETTE = {new java.awt.Color(0xD55E00), new java.awt.Color(0x0072B2),
        new java.awt.Color(0x009E73), new java.awt.Color(0xCC79A7), new java.awt.Color(0xE69F00)};
    /** And a line style each, so lessons are told apart without colour too: solid, dashed, dotted, dash-dot. */
    static final float[][] DASHES = {null, {10f, 5f}, {2.5f, 4f}, {10f, 4f, 2.5f, 4f}, {20f, 6f}};

    private ThreadChart() {
    }

    /** Writes series (lesson -> points of [seconds, threads]) to png; loadEnd marks where the load stopped. */
    static void write(Path png, String title, Map<String, List<double[]>> series, double loadEnd) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((lesson, points) -> {
            XYSeries s = new XYSeries(lesson, false, true);
            points.forEach(p -> s.add(p[0], p[1]));
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "seconds since the load started",
                "live flusher threads", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            plot.getRenderer().setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, DASHES[i % DASHES.length], 0f));
        }
        ValueMarker end = new ValueMarker(loadEnd, java.awt.Color.DARK_GRAY, new BasicStroke(1f));
        end.setLabel("load stopped");
        end.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        end.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
        plot.addDomainMarker(end);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 560);
    }
}
