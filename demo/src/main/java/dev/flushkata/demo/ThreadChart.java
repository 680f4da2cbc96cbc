package dev.flushkata.demo;

import dev.flushkata.plumbing.Palette;
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

/** The chart to keep: live flusher threads over time, one line per lesson (Palette's look), as a PNG (JFreeChart). */
final class ThreadChart {

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
            plot.getRenderer().setSeriesPaint(i, new java.awt.Color(Palette.rgb(i)));
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, Palette.dashes(i), 0f));
        }
        ValueMarker end = new ValueMarker(loadEnd, java.awt.Color.DARK_GRAY, new BasicStroke(1f));
        end.setLabel("load stopped");
        end.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        end.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
        plot.addDomainMarker(end);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 560);
    }
}
