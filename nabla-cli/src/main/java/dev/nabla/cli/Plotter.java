package dev.nabla.cli;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.nabla.train.History;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Draws the training curves of {@code --plot}: loss and the second metric (accuracy, or MAE for regression) per epoch,
 * training and validation, as two XChart line charts side by side, rendered headless to PNG (AWT raster) or SVG
 * (VectorGraphics2D).
 */
final class Plotter {

    static final int CHART_WIDTH = 560;
    static final int CHART_HEIGHT = 420;

    enum Format { PNG, SVG }

    private Plotter() {
    }

    /** The format for a plot file name, or a usage error naming the flag. */
    static Format format(Path file, String flag) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) return Format.PNG;
        if (name.endsWith(".svg")) return Format.SVG;
        throw new UsageException(flag + " " + file + ": the plot file must end in .png or .svg");
    }

    /** The plot as file contents (nothing is written, so a failure leaves no file behind). */
    static byte[] render(History history, String metric, String metricTitle, String title, Format format) throws IOException {
        List<XYChart> charts = List.of(
                chart(history, "loss", "Loss", title),
                chart(history, metric, metricTitle, title));
        int width = CHART_WIDTH * charts.size();
        int height = CHART_HEIGHT;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (format == Format.PNG) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                paint(g, charts);
            } finally {
                g.dispose();
            }
            ImageIO.write(image, "png", bytes);
        } else {
            VectorGraphics2D g = new VectorGraphics2D();
            paint(g, charts);
            Document document = Processors.get("svg").getDocument(g.getCommands(), new PageSize(0, 0, width, height));
            document.writeTo(bytes);
        }
        return bytes.toByteArray();
    }

    private static void paint(Graphics2D g, List<XYChart> charts) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, CHART_WIDTH * charts.size(), CHART_HEIGHT);
        for (int i = 0; i < charts.size(); i++) {
            Graphics2D part = (Graphics2D) g.create(i * CHART_WIDTH, 0, CHART_WIDTH, CHART_HEIGHT);
            try {
                charts.get(i).paint(part, CHART_WIDTH, CHART_HEIGHT);
            } finally {
                part.dispose();
            }
        }
    }

    private static XYChart chart(History history, String key, String yTitle, String title) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
                .title(title + ": " + yTitle).xAxisTitle("Epoch").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        // curves that rise (accuracy) keep the lower right corner free, falling ones (loss, error) the upper right
        styler.setLegendPosition(key.contains("accuracy") ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(true);
        styler.setXAxisDecimalPattern("#");
        styler.setYAxisDecimalPattern(decimalPattern(history, key));
        boolean any = false;
        any |= series(chart, history, key, "training", new Color(0x1f77b4));
        any |= series(chart, history, "val_" + key, "validation", new Color(0xff7f0e));
        if (!any) {
            // an empty chart still says what is missing instead of failing
            XYSeries s = chart.addSeries("(no values)", new double[]{1}, new double[]{0});
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Tick labels with a few significant digits: plain decimals, or scientific notation for tiny values. */
    private static String decimalPattern(History history, String key) {
        double max = 0;
        for (String k : List.of(key, "val_" + key)) {
            for (double v : history.values(k)) if (Double.isFinite(v)) max = Math.max(max, Math.abs(v));
        }
        return max > 0 && max < 0.01 ? "0.##E0" : "#,##0.###";
    }

    /** Adds one curve from the finite values of {@code key}; false when there are none. */
    private static boolean series(XYChart chart, History history, String key, String name, Color color) {
        double[] values = history.values(key);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                xs.add((double) (i + 1));
                ys.add(values[i]);
            }
        }
        if (xs.isEmpty()) return false;
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        return true;
    }
}
