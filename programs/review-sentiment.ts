// An example served program: the sentiment of a product review. It runs on the offline demo
// model as it is, and on any provider once one is configured. Copy it to start your own.
import { Predict, defineSignature, t, type Example, type Values } from "dspex";
import { defineServedProgram } from "dspex/runtime";
import { z } from "zod";

const signature = defineSignature({
  instructions: "Classify the sentiment of the product review.",
  inputs: { review: z.string().describe("A customer's review of a product.") },
  outputs: {
    sentiment: t.labels({
      positive: "The customer is happy: loves it, great, excellent, works well, would recommend.",
      negative: "The customer is unhappy: broken, terrible, refund, disappointed, stopped working, waste of money.",
      neutral: "Neither happy nor unhappy: okay, average, fine, nothing special, as described.",
    }),
  },
});

const review = (text: string, sentiment: string, split: "train" | "validation") => ({ inputs: { review: text }, outputs: { sentiment }, split });

export default defineServedProgram({
  name: "review-sentiment",
  description: "Example program: the sentiment (positive, negative, neutral) of a product review.",
  program: new Predict(signature),
  variables: { temperature: [0, 1] },
  dataset: [
    review("I love this kettle, it works well and boils fast. Great buy.", "positive", "train"),
    review("Excellent headphones, I would recommend them to anyone.", "positive", "train"),
    review("The blender stopped working after a week. Terrible, I want a refund.", "negative", "train"),
    review("Broken on arrival and support never answered. Disappointed.", "negative", "train"),
    review("It is okay. Does what it says, nothing special.", "neutral", "train"),
    review("Arrived on time and as described. Average quality.", "neutral", "train"),
    review("Great value, the battery lasts for days. Love it.", "positive", "train"),
    review("A waste of money, the handle broke the second time I used it.", "negative", "train"),
    review("Fine for the price, I have no strong feelings about it.", "neutral", "train"),
    review("Excellent build quality and it works well with my phone.", "positive", "validation"),
    review("Terrible sound, and it stopped working after two days.", "negative", "validation"),
    review("It is fine. Average size, average color, as described.", "neutral", "validation"),
    review("I would recommend this lamp, it is great and bright.", "positive", "validation"),
    review("Disappointed: the zipper is broken and the refund took weeks.", "negative", "validation"),
    review("Okay product, nothing special but it does the job.", "neutral", "validation"),
    review("Love the color, great fit, works well for running.", "positive", "validation"),
  ],
  metric: (example: Example, prediction: Values) => (prediction.sentiment === example.outputs.sentiment ? 1 : 0),
});
