#!/bin/sh
echo "prisma: the native schema engine is not available on this machine; DSPEx applies migrations itself (npm run db:migrate) and writes them with npm run db:generate." >&2
exit 1
