export { Card, CardHeader, CardBody } from "./card";
export { PageHeader } from "./page-header";
export { EmptyState } from "./empty-state";
export { Stat } from "./stat";
