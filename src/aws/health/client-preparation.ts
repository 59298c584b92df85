/** Done to every client made, before use: to add middleware, say. */
export type ClientPreparation = <C extends { middlewareStack: object }>(client: C) => C;
