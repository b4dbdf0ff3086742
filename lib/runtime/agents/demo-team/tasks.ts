// The demo team's bundled programming tasks: a specification naming one function, a few visible
// examples the coder may run, and hidden tests only the reviewer runs (in the sandbox).
import { AgentError } from "../errors";
import type { SandboxTest } from "../sandbox";

export interface DemoTask {
  readonly id: string;
  readonly title: string;
  /** What the coder is asked; names the function as a backticked call, e.g. `fizzbuzz(n)`. */
  readonly specification: string;
  readonly examples: readonly SandboxTest[];
  readonly hiddenTests: readonly SandboxTest[];
}

const t = (name: string, code: string): SandboxTest => ({ name, code });

export const DEMO_TASKS: readonly DemoTask[] = Object.freeze([
  {
    id: "fizzbuzz",
    title: "FizzBuzz",
    specification: 'Write `fizzbuzz(n)`: return an array of n strings for 1..n, where multiples of 3 are "Fizz", multiples of 5 are "Buzz", multiples of both are "FizzBuzz", and other numbers are their decimal digits.',
    examples: [t("first five", 'assertEqual(fizzbuzz(5), ["1", "2", "Fizz", "4", "Buzz"])')],
    hiddenTests: [t("zero", "assertEqual(fizzbuzz(0), [])"), t("fifteen is FizzBuzz", 'assertEqual(fizzbuzz(15)[14], "FizzBuzz")'), t("thirty is FizzBuzz", 'assertEqual(fizzbuzz(30)[29], "FizzBuzz")'), t("length", "assertEqual(fizzbuzz(100).length, 100)")],
  },
  {
    id: "reverse-words",
    title: "Reverse words",
    specification: "Write `reverseWords(s)`: return the words of s in reverse order, joined by single spaces. Words are separated by one or more spaces; ignore leading and trailing spaces.",
    examples: [t("two words", 'assertEqual(reverseWords("hello world"), "world hello")')],
    hiddenTests: [t("one word", 'assertEqual(reverseWords("solo"), "solo")'), t("extra spaces", 'assertEqual(reverseWords("  the sky  is blue "), "blue is sky the")'), t("three", 'assertEqual(reverseWords("a b c"), "c b a")')],
  },
  {
    id: "is-palindrome",
    title: "Is palindrome",
    specification: "Write `isPalindrome(s)`: return true when s reads the same forwards and backwards, ignoring case and every character that is not a letter or a digit.",
    examples: [t("racecar", 'assertEqual(isPalindrome("racecar"), true)'), t("hello", 'assertEqual(isPalindrome("hello"), false)')],
    hiddenTests: [t("mixed case", 'assertEqual(isPalindrome("Racecar"), true)'), t("sentence", 'assertEqual(isPalindrome("A man, a plan, a canal: Panama"), true)'), t("empty", 'assertEqual(isPalindrome(""), true)'), t("not one", 'assertEqual(isPalindrome("ab"), false)')],
  },
  {
    id: "sum-of-digits",
    title: "Sum of digits",
    specification: "Write `sumOfDigits(n)`: return the sum of the decimal digits of the integer n; the sign of a negative number is ignored.",
    examples: [t("123", "assertEqual(sumOfDigits(123), 6)")],
    hiddenTests: [t("zero", "assertEqual(sumOfDigits(0), 0)"), t("negative", "assertEqual(sumOfDigits(-45), 9)"), t("large", "assertEqual(sumOfDigits(9999), 36)")],
  },
  {
    id: "run-length-encoding",
    title: "Run-length encoding",
    specification: 'Write `runLengthEncode(s)`: replace each run of one repeated character by its length followed by the character, e.g. "aaabcc" becomes "3a1b2c".',
    examples: [t("empty", 'assertEqual(runLengthEncode(""), "")')],
    hiddenTests: [t("example", 'assertEqual(runLengthEncode("aaabcc"), "3a1b2c")'), t("single", 'assertEqual(runLengthEncode("a"), "1a")'), t("no runs", 'assertEqual(runLengthEncode("abc"), "1a1b1c")')],
  },
  {
    id: "word-count",
    title: "Word count",
    specification: "Write `wordCount(s)`: return an object mapping each word of s, lower-cased, to how many times it occurs. Words are runs of letters, digits and apostrophes.",
    examples: [t("simple", 'assertEqual(wordCount("a b a"), { a: 2, b: 1 })')],
    hiddenTests: [t("case", 'assertEqual(wordCount("The the THE cat"), { the: 3, cat: 1 })'), t("punctuation", 'assertEqual(wordCount("hi, hi!"), { hi: 2 })'), t("empty", 'assertEqual(wordCount(""), {})')],
  },
  {
    id: "flatten-array",
    title: "Flatten array",
    specification: "Write `flatten(arr)`: return a new array with the elements of arr and of every nested array, at any depth, in order.",
    examples: [t("one level", "assertEqual(flatten([1, [2, 3]]), [1, 2, 3])")],
    hiddenTests: [t("deep", "assertEqual(flatten([1, [2, [3, [4]]]]), [1, 2, 3, 4])"), t("empty", "assertEqual(flatten([]), [])"), t("empty nested", "assertEqual(flatten([[], [[]]]), [])")],
  },
  {
    id: "clamp",
    title: "Clamp",
    specification: "Write `clamp(x, min, max)`: return x limited to the range min..max (min <= max): min when x is below it, max when x is above it, else x.",
    examples: [t("inside", "assertEqual(clamp(5, 0, 10), 5)"), t("below", "assertEqual(clamp(-1, 0, 10), 0)")],
    hiddenTests: [t("above", "assertEqual(clamp(15, 0, 10), 10)"), t("at max", "assertEqual(clamp(10, 0, 10), 10)"), t("negative range", "assertEqual(clamp(-20, -10, -5), -10)")],
  },
]);

/** The bundled tasks with these ids, in the order given; unknown ids are refused by name. */
export function demoTasksById(ids: readonly string[]): DemoTask[] {
  return ids.map((id) => {
    const task = DEMO_TASKS.find((t) => t.id === id);
    if (!task) throw new AgentError("OPTION_INVALID", `demo team: unknown task "${id}"; the bundled tasks are ${DEMO_TASKS.map((t) => t.id).join(", ")}`, "demo-team");
    return task;
  });
}
