import { QueueReview } from "@/components/scores";
import { PageHeader } from "@/components/ui";

export const dynamic = "force-dynamic";
export const metadata = { title: "Annotation queue" };

export default async function AnnotationQueuePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <PageHeader title="Annotation queue" description="Each run waiting for review, oldest first: read its input and output, score it, go on to the next." />
      <QueueReview queueId={decodeURIComponent(id)} />
    </>
  );
}
