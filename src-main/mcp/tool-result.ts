import fs from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpToolCallResult } from './port';

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'audio/wav': '.wav',
  'audio/mpeg': '.mp3',
  'application/json': '.json',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

export interface ResultConversion {
  /** Where this call's images and binary resources are written (created on first need). */
  artifactsDir: string;
  /** A name stem unique to the call, so two calls never overwrite each other's files. */
  stem: string;
  scrub(text: string): string;
}

/**
 * Turns a tool result into the text the agent reads: text as is, images, audio and binary resources
 * written as run artifacts (the agent reads where), embedded text resources inline, links by URI.
 */
export function convertToolResult(result: CallToolResult, conversion: ResultConversion): McpToolCallResult {
  const parts: string[] = [];
  const artifacts: string[] = [];
  const save = (base64: string, mimeType: string | undefined, label: string): string => {
    fs.mkdirSync(conversion.artifactsDir, { recursive: true });
    const extension = (mimeType && EXTENSIONS[mimeType]) ?? '.bin';
    const file = path.join(conversion.artifactsDir, `${conversion.stem}-${artifacts.length + 1}${extension}`);
    const bytes = Buffer.from(base64, 'base64');
    fs.writeFileSync(file, bytes);
    artifacts.push(file);
    return `[${label} saved as a run artifact: ${file} (${mimeType ?? 'unknown type'}, ${bytes.length} bytes)]`;
  };
  for (const block of result.content) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'image':
        parts.push(save(block.data, block.mimeType, 'image'));
        break;
      case 'audio':
        parts.push(save(block.data, block.mimeType, 'audio'));
        break;
      case 'resource_link':
        parts.push(`[resource ${block.uri}${block.description ? `: ${block.description}` : ''}]`);
        break;
      case 'resource': {
        const { resource } = block;
        if ('text' in resource) parts.push(`[resource ${resource.uri}]\n${resource.text}`);
        else parts.push(save(resource.blob, resource.mimeType, `resource ${resource.uri}`));
        break;
      }
    }
  }
  if (result.structuredContent !== undefined && parts.length === 0) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  return {
    content: conversion.scrub(parts.join('\n')),
    isError: result.isError === true,
    artifacts,
  };
}
