import fs from 'node:fs';

/** One tensor read from a .safetensors file, converted to float32. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

interface TensorHeader {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const SUPPORTED_DTYPES = ['F32', 'F16', 'BF16'];

/**
 * Reads the named tensors (or all) of a safetensors file: an 8-byte little-endian header length, a JSON
 * header mapping names to dtype/shape/byte range, then the raw little-endian data.
 */
export function readSafetensors(filePath: string): Map<string, Tensor> {
  const buffer = fs.readFileSync(filePath);
  if (buffer.length < 8) throw new Error(`${filePath} is not a safetensors file (too short)`);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  if (headerLength <= 0 || 8 + headerLength > buffer.length)
    throw new Error(`${filePath} is not a safetensors file (bad header length)`);
  let header: Record<string, TensorHeader | Record<string, string>>;
  try {
    header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8')) as typeof header;
  } catch {
    throw new Error(`${filePath} is not a safetensors file (header is not JSON)`);
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as TensorHeader;
    if (!SUPPORTED_DTYPES.includes(dtype))
      throw new Error(`${filePath}: tensor ${name} has dtype ${dtype}; supported: ${SUPPORTED_DTYPES.join(', ')}`);
    const begin = dataStart + offsets[0];
    const end = dataStart + offsets[1];
    const count = shape.reduce((product, size) => product * size, 1);
    const bytesPerValue = dtype === 'F32' ? 4 : 2;
    if (end > buffer.length || end - begin !== count * bytesPerValue)
      throw new Error(`${filePath}: tensor ${name} does not match its declared shape`);
    tensors.set(name, { shape, data: decode(buffer.subarray(begin, end), dtype, count) });
  }
  return tensors;
}

function decode(bytes: Buffer, dtype: string, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    if (dtype === 'F32') out[index] = bytes.readFloatLE(index * 4);
    else if (dtype === 'F16') out[index] = halfToFloat(bytes.readUInt16LE(index * 2));
    else out[index] = bfloat16ToFloat(bytes.readUInt16LE(index * 2));
  }
  return out;
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const bfloatScratch = new DataView(new ArrayBuffer(4));
function bfloat16ToFloat(bits: number): number {
  bfloatScratch.setUint32(0, bits << 16);
  return bfloatScratch.getFloat32(0);
}

/** Writes float32 tensors as a safetensors file (used to build test and benchmark models). */
export function writeSafetensors(filePath: string, tensors: Record<string, Tensor>): void {
  const header: Record<string, TensorHeader> = {};
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.length));
  const parts: Buffer[] = [length, headerBytes];
  for (const tensor of Object.values(tensors))
    parts.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  fs.writeFileSync(filePath, Buffer.concat(parts));
}
