export { ProgramsTable } from "./programs-table";
export { ProgramView } from "./program-view";
