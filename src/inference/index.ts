// Public surface of the inference area for the rest of faultsense.
export { InferenceService, LoadedModel, type ModelStatus, type InferenceServiceOptions } from './service.js';
export { InferenceEngine, EngineSession, NoAcceleratorError, type AcceleratorChoice, type EngineStats } from './engine.js';
export { ModelLoadError, type BackendName, type ModelSource } from './backend.js';
export { ModelRegistry, registerFittedModel, type FittedModel } from './registry.js';
export { loadLabels, parseManifest, type Manifest } from './manifest.js';
export { sha256File } from './hash.js';
export { probeAccelerators, type ProbeResult, type AcceleratorDevice } from './probe.js';
export { OnnxGraph, attr, floatTensor, int64Tensor, int32Tensor, type OnnxElementType } from './onnx-builder.js';
export { float32, int64, tensor, toNumbers, type Tensor, type Feeds, type Outputs, type TensorInfo, type ElementType } from './tensor.js';
