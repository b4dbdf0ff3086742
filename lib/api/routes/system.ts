import { OpenApiDocumentSchema } from "../../schemas";
import { route } from "./define";

export const systemRoutes = {
  openapi: route({
    method: "GET",
    path: "/api/v1/openapi.json",
    operationId: "openapi",
    summary: "This document",
    tag: "system",
    auth: false,
    success: { status: 200, name: "OpenApiDocument", schema: OpenApiDocumentSchema, description: "The OpenAPI 3.1 document of the serving API." },
    errors: [],
  }),
};
