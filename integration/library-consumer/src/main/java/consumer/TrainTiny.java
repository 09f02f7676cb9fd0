package consumer;

import dev.nabla.loss.MeanSquaredError;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;

import java.nio.file.Path;

/** Fits y = 2x + 1 with one dense unit, saves and loads the model, and prints its prediction at x = 3 (about 7). */
public final class TrainTiny {

    public static void main(String[] args) throws Exception {
        int n = 32;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -2 + 4f * i / (n - 1);
            y[i] = 2 * x[i] + 1;
        }
        Model model = new Model(new Sequential(new Dense(1)).seed(7));
        model.compile(params -> new Sgd(params, 0.1f), new MeanSquaredError());
        model.fit(Tensor.of(x, n, 1), Tensor.of(y, n, 1), new FitOptions().epochs(100).batchSize(8).seed(1));
        Path file = Path.of(args.length > 0 ? args[0] : "tiny.nabla");
        model.save(file);
        float p = Model.load(file).predict(Tensor.of(new float[]{3}, 1, 1)).item();
        System.out.println("prediction at 3: " + p);
    }
}
