// A structural lint of the Dockerfile, for machines without a Docker engine or hadolint: the image
// is multi-stage, runs as a non-root user, installs no development dependencies in its final stage,
// takes the service as ARG SERVICE, has a HEALTHCHECK, and cannot rewrite its own code.

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  /** ARGs before the first FROM, usable in FROM lines. */
  globalArgs: Instruction[];
  stages: Stage[];
}

/** Splits a Dockerfile into instructions (comments dropped, `\` continuations joined) and stages. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!pending && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending && trimmed.startsWith('#')) return; // comments may sit inside a continued instruction
    const continued = trimmed.endsWith('\\');
    const body = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending
      ? { text: `${pending.text} ${body}`, line: pending.line }
      : { text: body, line: index + 1 };
    if (continued) return;
    const [keyword = '', ...rest] = pending.text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line });
    pending = undefined;
  });

  const parsed: ParsedDockerfile = { globalArgs: [], stages: [] };
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.replace(/--platform=\S+\s*/, '').split(/\s+/);
      parsed.stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (parsed.stages.length === 0) {
      if (instruction.keyword === 'ARG') parsed.globalArgs.push(instruction);
    } else {
      parsed.stages.at(-1)!.instructions.push(instruction);
    }
  }
  return parsed;
}

const DEV_INSTALL = /\b(npm\s+(ci|install|i)|yarn(\s+install)?|pnpm\s+(install|i))\b/;
const PRODUCTION_ONLY = /--omit[= ]dev|--production|--prod\b/;
const PRUNE = /\bnpm\s+prune\b[^&;|]*--omit[= ]dev|\bnpm\s+(ci|install)\b[^&;|]*--omit[= ]dev/;
const SECRET_NAME = /SECRET|TOKEN|PEPPER|PASSWORD/i;
const ROOT_USER = /^(root|0)(:|$)/;

function resolveImage(image: string, globalArgs: Instruction[]): string {
  return image.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
    const declared = globalArgs.find((arg) => arg.args.split('=')[0] === name);
    return declared?.args.includes('=') ? declared.args.slice(declared.args.indexOf('=') + 1) : whole;
  });
}

/** Every problem found; empty when the Dockerfile follows Mirrorwatch's rules. */
export function lintDockerfile(text: string): string[] {
  const { globalArgs, stages } = parseDockerfile(text);
  const problems: string[] = [];
  if (stages.length < 2) problems.push('must be multi-stage: build in one stage, run from another');
  const final = stages.at(-1);
  if (!final) return ['has no FROM'];

  for (const stage of stages) {
    const image = resolveImage(stage.image, globalArgs);
    const tag = image.split('/').pop() ?? '';
    if (!/[:@]/.test(tag) || /:latest$/.test(image))
      problems.push(`FROM ${image}: pin a tag other than latest`);
  }

  const at = (i: Instruction) => `line ${i.line}`;
  const users = final.instructions.filter((i) => i.keyword === 'USER');
  const user = users.at(-1);
  if (!user) problems.push('final stage: needs a USER (it would run as root)');
  else if (ROOT_USER.test(user.args)) problems.push(`final stage: USER ${user.args} is root (${at(user)})`);
  else if (!/^\d+(:\d+)?$/.test(user.args))
    problems.push(`final stage: USER ${user.args} should be numeric so runAsNonRoot can verify it`);

  for (const run of final.instructions.filter((i) => i.keyword === 'RUN'))
    if (DEV_INSTALL.test(run.args) && !PRODUCTION_ONLY.test(run.args))
      problems.push(`final stage: installs dependencies including development ones (${at(run)})`);

  const copies = final.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
  const modules = copies.find((i) => /node_modules/.test(i.args));
  const from = modules?.args.match(/--from=(\S+)/)?.[1];
  const source = stages.find((stage, index) => stage.name === from || String(index) === from);
  if (!modules || !source) problems.push('final stage: must copy node_modules from a build stage');
  else if (!source.instructions.some((i) => i.keyword === 'RUN' && PRUNE.test(i.args)))
    problems.push(`stage ${from}: node_modules must be pruned to production (npm prune --omit=dev)`);
  for (const copy of copies) {
    const owner = copy.args.match(/--chown=(\S+)/)?.[1];
    if (owner && !ROOT_USER.test(owner))
      problems.push(
        `final stage: ${at(copy)} gives the runtime user ownership of the code (--chown=${owner})`,
      );
  }

  if (!final.instructions.some((i) => i.keyword === 'ARG' && /^SERVICE(=|$)/.test(i.args)))
    problems.push('final stage: needs ARG SERVICE (one image per service)');
  if (!final.instructions.some((i) => i.keyword === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args)))
    problems.push('final stage: needs a HEALTHCHECK');
  if (!final.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'))
    problems.push('final stage: needs a CMD or ENTRYPOINT');

  for (const stage of stages)
    for (const i of stage.instructions.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG'))
      for (const [, name, value] of i.args.matchAll(/(\w+)[= ]("[^"]*"|\S+)/g))
        if (name && SECRET_NAME.test(name) && value)
          problems.push(`${i.keyword} ${name} (${at(i)}) bakes a secret into the image`);
  return problems;
}
