// JS class OrtSession: a created session.
//   .inputs / .outputs            [{name, type, dims}] (type = ONNX element code, -1 = dynamic dim)
//   .run(inputNames, tensors, outputNames) → Promise<[{name, type, dims, data}]>
//        tensors: [{type, dims, data: TypedArray}]; the typed arrays are bound
//        without copying and kept alive until the run ends; outputs come back
//        as typed arrays over ORT's own buffers (freed when JS collects them).
//   .runSync(...)                 the same on the calling thread (tiny models)
//   .release()                    frees the session once runs in flight end
#include <cstring>

#include "ort_bridge.h"

namespace faultsense {
namespace ort {
namespace {

// Outputs up to this size are copied into a JS-owned buffer; larger ones are
// handed over without copying.
constexpr size_t kCopyBelowBytes = 64 * 1024;

struct ClassRefs {
  Napi::FunctionReference session;
};

// Keeps an output OrtValue alive while JS holds the buffer over its data.
struct ValueHolder {
  std::shared_ptr<LibraryCore> lib;
  Value* value;
};

struct Output {
  std::string name;
  int type = 0;
  std::vector<int64_t> dims;
  Value* value = nullptr;
  void* data = nullptr;
  size_t bytes = 0;
};

Napi::Array MetaArray(Napi::Env env, const std::vector<TensorMeta>& metas) {
  Napi::Array arr = Napi::Array::New(env, metas.size());
  for (size_t i = 0; i < metas.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", metas[i].name);
    o.Set("type", metas[i].type);
    Napi::Array dims = Napi::Array::New(env, metas[i].dims.size());
    for (size_t d = 0; d < metas[i].dims.size(); ++d) dims.Set(d, static_cast<double>(metas[i].dims[d]));
    o.Set("dims", dims);
    arr.Set(i, o);
  }
  return arr;
}

napi_typedarray_type ArrayKind(int type) {
  switch (type) {
    case kFloat: return napi_float32_array;
    case kUint8: case kBool: return napi_uint8_array;
    case kInt8: return napi_int8_array;
    case kUint16: case kFloat16: case kBfloat16: return napi_uint16_array;
    case kInt16: return napi_int16_array;
    case kInt32: return napi_int32_array;
    case kUint32: return napi_uint32_array;
    case kInt64: return napi_bigint64_array;
    case kUint64: return napi_biguint64_array;
    default: return napi_float64_array;  // kDouble
  }
}

class RunWorker : public Napi::AsyncWorker {
 public:
  RunWorker(Napi::Env env, std::shared_ptr<SessionCore> core)
      : Napi::AsyncWorker(env, "faultsense.ort.run"), deferred_(Napi::Promise::Deferred::New(env)),
        core_(std::move(core)) {}

  ~RunWorker() override {
    for (Output& o : outputs_) {
      if (o.value != nullptr) core_->lib->fn.ReleaseValue(o.value);
    }
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

  // Adds one input; returns an error message or "".
  std::string AddInput(const std::string& name, const Napi::Object& tensor) {
    int type = tensor.Get("type").ToNumber().Int32Value();
    size_t size = ElementSize(type);
    if (size == 0) return "input " + name + ": element type " + std::to_string(type) + " cannot be passed";
    Napi::Value data = tensor.Get("data");
    if (!data.IsTypedArray()) return "input " + name + ": data must be a typed array";
    Napi::TypedArray ta = data.As<Napi::TypedArray>();
    Napi::Array dims = tensor.Get("dims").As<Napi::Array>();
    std::vector<int64_t> shape;
    size_t count = 1;
    for (uint32_t i = 0; i < dims.Length(); ++i) {
      int64_t d = dims.Get(i).ToNumber().Int64Value();
      if (d < 0) return "input " + name + ": negative dimension";
      shape.push_back(d);
      count *= static_cast<size_t>(d);
    }
    if (count * size != ta.ByteLength()) {
      return "input " + name + ": dims need " + std::to_string(count * size) + " bytes but the array has " +
             std::to_string(ta.ByteLength());
    }
    // The backing store of a typed array does not move; the reference keeps
    // it from being collected until this worker is destroyed.
    keep_.push_back(Napi::Persistent(ta.As<Napi::Object>()));
    inNames_.push_back(name);
    inData_.push_back(static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset());
    inBytes_.push_back(ta.ByteLength());
    inTypes_.push_back(type);
    inShapes_.push_back(std::move(shape));
    return "";
  }

  void AddOutput(const std::string& name) { outNames_.push_back(name); }

  // Runs on the calling (main) thread; for models so small that the hop to a
  // worker thread costs more than the run. Throws a JS error on failure.
  Napi::Value RunInline(Napi::Env env) {
    Execute();
    keep_.clear();
    if (fail_.failed) {
      MakeError(env, fail_).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return BuildResult(env);
  }

  // Turns the outputs into JS objects (main thread, after Execute).
  Napi::Array BuildResult(Napi::Env env) {
    Napi::Array result = Napi::Array::New(env, outputs_.size());
    for (size_t i = 0; i < outputs_.size(); ++i) {
      Output& o = outputs_[i];
      Napi::ArrayBuffer buffer;
      if (o.bytes == 0 || o.data == nullptr) {
        buffer = Napi::ArrayBuffer::New(env, 0);
      } else if (o.bytes <= kCopyBelowBytes) {
        // Small outputs: a copy is cheaper than a finalizer-tracked external buffer.
        buffer = Napi::ArrayBuffer::New(env, o.bytes);
        std::memcpy(buffer.Data(), o.data, o.bytes);
      } else {
        auto* holder = new ValueHolder{core_->lib, o.value};
        buffer = Napi::ArrayBuffer::New(
            env, o.data, o.bytes,
            [](Napi::Env, void*, ValueHolder* h) {
              h->lib->fn.ReleaseValue(h->value);
              delete h;
            },
            holder);
        o.value = nullptr;  // owned by the buffer now
      }
      napi_value typed = nullptr;
      size_t size = ElementSize(o.type);
      napi_create_typedarray(env, ArrayKind(o.type), size ? o.bytes / size : 0, buffer, 0, &typed);
      Napi::Object obj = Napi::Object::New(env);
      obj.Set("name", o.name);
      obj.Set("type", o.type);
      Napi::Array dims = Napi::Array::New(env, o.dims.size());
      for (size_t d = 0; d < o.dims.size(); ++d) dims.Set(d, static_cast<double>(o.dims[d]));
      obj.Set("dims", dims);
      obj.Set("data", Napi::Value(env, typed));
      result.Set(i, obj);
    }
    return result;
  }


 protected:
  void Execute() override {
    const LibraryCore& lib = *core_->lib;
    const Functions& f = lib.fn;
    std::vector<Value*> values(inNames_.size(), nullptr);
    bool ok = true;
    for (size_t i = 0; i < inNames_.size() && ok; ++i) {
      ok = !lib.Check(f.CreateTensorWithDataAsOrtValue(lib.cpuMemory, inData_[i], inBytes_[i], inShapes_[i].data(),
                                                       inShapes_[i].size(), inTypes_[i], &values[i]),
                      fail_, "input " + inNames_[i]);
    }
    std::vector<Value*> outs(outNames_.size(), nullptr);
    if (ok) {
      std::vector<const char*> in, out;
      for (auto& n : inNames_) in.push_back(n.c_str());
      for (auto& n : outNames_) out.push_back(n.c_str());
      ok = !lib.Check(f.Run(core_->session, nullptr, in.data(), values.data(), in.size(), out.data(), out.size(),
                            outs.data()),
                      fail_, "");
    }
    for (Value* v : values) f.ReleaseValue(v);
    for (size_t i = 0; i < outs.size(); ++i) {
      Output o;
      o.name = outNames_[i];
      o.value = outs[i];
      outputs_.push_back(o);
    }
    if (!ok) return;
    for (Output& o : outputs_) {
      int isTensor = 0;
      f.IsTensor(o.value, &isTensor);
      if (!isTensor) {
        fail_ = Failure{true, 9, "output " + o.name + " is not a tensor; only tensor outputs are supported"};
        return;
      }
      TensorInfo* info = nullptr;
      if (lib.Check(f.GetTensorTypeAndShape(o.value, &info), fail_, "output " + o.name)) return;
      size_t rank = 0, count = 0;
      f.GetTensorElementType(info, &o.type);
      f.GetDimensionsCount(info, &rank);
      o.dims.resize(rank);
      if (rank > 0) f.GetDimensions(info, o.dims.data(), rank);
      f.GetTensorShapeElementCount(info, &count);
      f.ReleaseTensorTypeAndShapeInfo(info);
      size_t size = ElementSize(o.type);
      if (size == 0) {
        fail_ = Failure{true, 9, "output " + o.name + " has element type " + std::to_string(o.type) +
                                     ", which the bridge does not return"};
        return;
      }
      o.bytes = count * size;
      if (lib.Check(f.GetTensorMutableData(o.value, &o.data), fail_, "output " + o.name)) return;
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    keep_.clear();
    if (fail_.failed) {
      deferred_.Reject(MakeError(env, fail_).Value());
      return;
    }
    deferred_.Resolve(BuildResult(env));
  }

  void OnError(const Napi::Error& e) override {
    keep_.clear();
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<SessionCore> core_;
  std::vector<Napi::ObjectReference> keep_;
  std::vector<std::string> inNames_, outNames_;
  std::vector<void*> inData_;
  std::vector<size_t> inBytes_;
  std::vector<int> inTypes_;
  std::vector<std::vector<int64_t>> inShapes_;
  std::vector<Output> outputs_;
  Failure fail_;
};

class SessionObject : public Napi::ObjectWrap<SessionObject> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "OrtSession",
                       {InstanceMethod<&SessionObject::Run>("run"), InstanceMethod<&SessionObject::RunSync>("runSync"),
                        InstanceMethod<&SessionObject::Release>("release")});
  }

  explicit SessionObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionObject>(info) {
    if (info.Length() < 1 || !info[0].IsExternal()) {
      Napi::TypeError::New(info.Env(), "OrtSession objects come from OrtLibrary.createSession()")
          .ThrowAsJavaScriptException();
      return;
    }
    auto* core = info[0].As<Napi::External<std::shared_ptr<SessionCore>>>().Data();
    core_ = *core;
    Napi::Object self = info.This().As<Napi::Object>();
    self.Set("inputs", MetaArray(info.Env(), core_->inputs));
    self.Set("outputs", MetaArray(info.Env(), core_->outputs));
  }

 private:
  // Checks the arguments and builds a worker; on bad input returns nullptr and sets `err`.
  RunWorker* Prepare(const Napi::CallbackInfo& info, std::string& err) {
    Napi::Env env = info.Env();
    if (!core_) {
      err = "the session was released; load the model again";
      return nullptr;
    }
    if (info.Length() < 3 || !info[0].IsArray() || !info[1].IsArray() || !info[2].IsArray()) {
      err = "run(inputNames, tensors, outputNames): three arrays expected";
      return nullptr;
    }
    Napi::Array names = info[0].As<Napi::Array>();
    Napi::Array tensors = info[1].As<Napi::Array>();
    Napi::Array outNames = info[2].As<Napi::Array>();
    if (names.Length() != tensors.Length()) {
      err = "run(): one tensor per input name expected";
      return nullptr;
    }
    auto* worker = new RunWorker(env, core_);
    for (uint32_t i = 0; i < names.Length(); ++i) {
      Napi::Value t = tensors.Get(i);
      err = t.IsObject() ? worker->AddInput(names.Get(i).ToString().Utf8Value(), t.As<Napi::Object>())
                         : "run(): tensors must be objects";
      if (!err.empty()) {
        delete worker;
        return nullptr;
      }
    }
    if (outNames.Length() == 0) {
      for (const TensorMeta& m : core_->outputs) worker->AddOutput(m.name);
    } else {
      for (uint32_t i = 0; i < outNames.Length(); ++i) worker->AddOutput(outNames.Get(i).ToString().Utf8Value());
    }
    return worker;
  }

  Napi::Value Run(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string err;
    RunWorker* worker = Prepare(info, err);
    if (worker == nullptr) {
      auto d = Napi::Promise::Deferred::New(env);
      d.Reject(MakeError(env, Failure{true, 2, err}).Value());
      return d.Promise();
    }
    Napi::Promise p = worker->Promise();
    worker->Queue();
    return p;
  }

  Napi::Value RunSync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string err;
    RunWorker* worker = Prepare(info, err);
    if (worker == nullptr) {
      MakeError(env, Failure{true, 2, err}).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Value result = worker->RunInline(env);
    delete worker;
    return result;
  }

  Napi::Value Release(const Napi::CallbackInfo& info) {
    core_.reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<SessionCore> core_;
};

}  // namespace

Napi::Object WrapSession(Napi::Env env, std::shared_ptr<SessionCore> core) {
  ClassRefs* refs = env.GetInstanceData<ClassRefs>();
  auto holder = std::make_unique<std::shared_ptr<SessionCore>>(std::move(core));
  Napi::External<std::shared_ptr<SessionCore>> ext = Napi::External<std::shared_ptr<SessionCore>>::New(
      env, holder.get());
  Napi::Object obj = refs->session.New({ext});
  return obj;  // the constructor copied the shared_ptr; holder frees its copy here
}

void InitSessionClass(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = SessionObject::Define(env);
  auto* refs = new ClassRefs();
  refs->session = Napi::Persistent(ctor);
  // The ORT bridge owns the addon's instance data slot.
  env.SetInstanceData<ClassRefs>(refs);
  exports.Set("OrtSession", ctor);
}

}  // namespace ort
}  // namespace faultsense
