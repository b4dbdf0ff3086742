import { describeSamplerContract } from "../testing";
import { GeneticSampler, RandomSampler, TpeSampler } from "./index";

describeSamplerContract("random", () => new RandomSampler());
describeSamplerContract("tpe (multivariate)", () => new TpeSampler());
describeSamplerContract("tpe (univariate, no constant liar)", () => new TpeSampler({ multivariate: false, constantLiar: false, nStartupTrials: 5 }));
describeSamplerContract("genetic", () => new GeneticSampler({ populationSize: 10 }));
describeSamplerContract("genetic with an LM rewrite for text", () => new GeneticSampler({ populationSize: 10, mutationRate: 0.5, rewriteText: async (text, rng) => `${text} (v${rng.int(1, 9)})` }));
