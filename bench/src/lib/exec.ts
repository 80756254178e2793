import { spawn } from 'node:child_process'

export interface ExecResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to completion, capturing output; rejects with the tail of stderr on failure. */
export function exec(
  cmd: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = { cwd: process.cwd() },
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 120_000)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve({ code, stdout, stderr })
      else {
        const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-8).join('\n')
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail}`))
      }
    })
  })
}
