"use client";

import Link from "next/link";
import { Suspense } from "react";
import { Card, CardBody, CardHeader, Stat } from "@/components/ui";
import { BudgetProgress } from "./budget-progress";
import { ContourPlot } from "./contour-plot";
import { EdfChart } from "./edf-chart";
import { fmtDate, fmtScore } from "./format";
import { ImportanceChart } from "./importance-chart";
import { useLiveOptimization } from "./live-data";
import { ParallelCoordinates } from "./parallel-coordinates";
import { ParetoChart } from "./pareto-chart";
import { RunActions } from "./run-actions";
import { ScoreChart } from "./score-chart";
import { SlicePlot } from "./slice-plot";
import { StatusBadge } from "./status-badge";
import { TrialsTable } from "./trials-table";
import { Can } from "@/components/shell/user-menu";

/** The live run page of one optimization. */
export function RunView({ id }: { id: string }) {
  const { detail, points } = useLiveOptimization(id);
  if (detail.isError) {
    return (
      <p role="alert" className="rounded-md border border-bad/40 bg-bad/10 p-4 text-sm text-bad">
        {detail.error.message} <Link className="underline" href="/optimizations">Back to the optimizations</Link>
      </p>
    );
  }
  const o = detail.data;
  if (!o) return <p className="text-sm text-muted">Loading the optimization…</p>;
  const trials = points.data ?? [];
  const improvement = o.bestScore !== null && o.baselineScore !== null ? o.bestScore - o.baselineScore : null;
  return (
    <div className="space-y-4" data-testid="run-view" data-status={o.status}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={o.status} />
            <span className="font-medium">{o.program.name}</span>
            <span className="text-muted">· {o.optimizer} · seed {o.seed} · started {fmtDate(o.createdAt)}</span>
          </div>
          {o.error && <p className="text-bad">{o.error}</p>}
        </div>
        <Can scope="optimize">
          <RunActions o={o} />
        </Can>
      </div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Trials" value={o.trialCount} testId="stat-trials" />
        <Stat label="Best score" value={fmtScore(o.bestScore)} hint={improvement !== null ? `${improvement >= 0 ? "+" : ""}${improvement.toFixed(3)} vs baseline` : undefined} testId="stat-best" />
        <Stat label="Baseline" value={fmtScore(o.baselineScore)} hint="the base version, trial 0" />
        <Stat label="Best trial" value={o.best ? `#${o.best.number}` : "—"} hint={o.best ? `${o.best.evaluation} evaluation` : undefined} />
      </div>
      <Card>
        <CardHeader title="Budget" description="Spend so far against each limit; the run stops cleanly at the first one reached" />
        <CardBody>
          <BudgetProgress o={o} />
        </CardBody>
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        <Card>
          <CardHeader title="Score per trial" description="Dots: trials (hollow: minibatch). Line: best full evaluation so far. Live." />
          <CardBody>
            <ScoreChart trials={trials} baseline={o.baselineScore} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Cost vs quality" description="Each scored trial (full evaluations once there are three) by cost and score; the line joins the Pareto front" />
          <CardBody>
            <ParetoChart trials={trials} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Parallel coordinates" description="Each line is a trial through its variable values to its score; categorical values sit at their own positions" />
          <CardBody>
            <ParallelCoordinates trials={trials} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Parameter importance"
            description="Share of the score's variance explained by each variable alone (correlation ratio over the trials, numbers in 4 bins; computed in the browser, ignores interactions)"
          />
          <CardBody>
            <ImportanceChart trials={trials} />
          </CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader title="Slices" description="Score against each variable's value, one dot per trial: where along a variable the good scores lie" />
        <CardBody>
          <SlicePlot trials={trials} />
        </CardBody>
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        <Card>
          <CardHeader title="Contour" description="The score over two variables: coloured between the trials (inverse-distance interpolation), each trial a dot" />
          <CardBody>
            <ContourPlot trials={trials} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Empirical distribution" description="Share of trials scoring at most each score (further right is better); full evaluations and minibatches apart" />
          <CardBody>
            <EdfChart trials={trials} />
          </CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader title="Trials" description="Full evaluations and minibatches apart; sorted and paged on the server (click a column to sort); a trial's number opens it" />
        <Suspense fallback={<p className="px-3 py-8 text-center text-sm text-muted">Loading trials…</p>}>
          <TrialsTable optimizationId={o.id} trials={trials} />
        </Suspense>
      </Card>
    </div>
  );
}
