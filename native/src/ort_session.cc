// JS class OrtSession: a created session.
//   .inputs / .outputs            [{name, type, dims}] (type = ONNX element code, -1 = dynamic dim)
//   .run(inputNames, tensors, outputNames) → Promise<[{name, type, dims, data}]>
//        tensors: [{type, dims, data: TypedArray}]; the typed arrays are bound
//        without copying and kept alive until the run ends; outputs come back
//        as typed arrays over ORT's own buffers (freed when JS collects them).
//   .runSync(...)                 the same on the calling thread (tiny models)
//   .release()                    frees the session once runs in flight end
#include <cstring>
#include <deque>

#include "ort_bridge.h"

namespace faultsense {
namespace ort {
namespace {

// Outputs up to this size are copied into a JS-owned buffer; larger ones are
// handed over without copying.
constexpr size_t kCopyBelowBytes = 64 * 1024;

// Writable, enumerable, configurable: what a plain `{...}` literal gives.
constexpr napi_property_attributes kPlainProperty =
    static_cast<napi_property_attributes>(napi_writable | napi_enumerable | napi_configurable);

struct ClassRefs {
  Napi::FunctionReference session;
};

// Keeps an output OrtValue alive while JS holds the buffer over its data.
struct ValueHolder {
  std::shared_ptr<LibraryCore> lib;
  Value* value;
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

// One run: the bound inputs, the requested outputs, and what ORT returned.
// Execute() touches no JS and may run on any thread; Result() needs the main
// thread. The caller keeps the input typed arrays alive until Execute ends.
class RunCall {
 public:
  explicit RunCall(std::shared_ptr<SessionCore> core) : core_(std::move(core)) {}

  ~RunCall() {
    for (Output& o : outputs_) {
      if (o.value != nullptr) core_->lib->fn.ReleaseValue(o.value);
    }
  }

  RunCall(const RunCall&) = delete;
  RunCall& operator=(const RunCall&) = delete;

  const Failure& failure() const { return fail_; }

  // Adds one input; returns an error message or "".
  std::string AddInput(std::string name, const Napi::Object& tensor, Napi::TypedArray& array) {
    int type = tensor.Get("type").ToNumber().Int32Value();
    size_t size = ElementSize(type);
    if (size == 0) return "input " + name + ": element type " + std::to_string(type) + " cannot be passed";
    Napi::Value data = tensor.Get("data");
    if (!data.IsTypedArray()) return "input " + name + ": data must be a typed array";
    Napi::TypedArray ta = data.As<Napi::TypedArray>();
    Napi::Value dimsValue = tensor.Get("dims");
    if (!dimsValue.IsArray()) return "input " + name + ": dims must be an array";
    Napi::Array dims = dimsValue.As<Napi::Array>();
    Input in;
    uint32_t rank = dims.Length();
    in.shape.reserve(rank);
    size_t count = 1;
    for (uint32_t i = 0; i < rank; ++i) {
      int64_t d = dims.Get(i).ToNumber().Int64Value();
      if (d < 0) return "input " + name + ": negative dimension";
      in.shape.push_back(d);
      count *= static_cast<size_t>(d);
    }
    size_t bytes = ta.ByteLength();
    if (count * size != bytes) {
      return "input " + name + ": dims need " + std::to_string(count * size) + " bytes but the array has " +
             std::to_string(bytes);
    }
    // Borrow the backing store without copying: it does not move while the
    // typed array is alive, which the caller guarantees.
    void* base = nullptr;
    napi_get_typedarray_info(ta.Env(), ta, nullptr, nullptr, &base, nullptr, nullptr);
    in.name = std::move(name);
    in.data = base;
    in.bytes = bytes;
    in.type = type;
    inputs_.push_back(std::move(in));
    array = ta;
    return "";
  }

  // No names asked for: every output of the model, by the session's own names.
  void AddAllOutputs() {
    outputs_.reserve(core_->outputs.size());
    for (const TensorMeta& m : core_->outputs) {
      Output o;
      o.name = m.name.c_str();
      outputs_.push_back(std::move(o));
    }
  }

  void AddOutput(std::string name) {
    owned_.push_back(std::move(name));
    outputs_.emplace_back();
  }

  void Execute() {
    const LibraryCore& lib = *core_->lib;
    const Functions& f = lib.fn;
    // Custom output names point into owned_, which no longer grows.
    for (size_t i = 0, j = 0; i < outputs_.size(); ++i) {
      if (outputs_[i].name == nullptr) outputs_[i].name = owned_[j++].c_str();
    }
    const size_t nIn = inputs_.size(), nOut = outputs_.size();
    std::vector<const char*> names(nIn + nOut);
    std::vector<Value*> values(nIn + nOut, nullptr);
    bool ok = true;
    for (size_t i = 0; i < nIn && ok; ++i) {
      Input& in = inputs_[i];
      names[i] = in.name.c_str();
      Status* st = f.CreateTensorWithDataAsOrtValue(lib.cpuMemory, in.data, in.bytes, in.shape.data(),
                                                    in.shape.size(), in.type, &values[i]);
      if (st != nullptr) ok = !lib.Check(st, fail_, "input " + in.name);
    }
    for (size_t i = 0; i < nOut; ++i) names[nIn + i] = outputs_[i].name;
    if (ok) {
      Status* st = f.Run(core_->session, core_->runOptions, names.data(), values.data(), nIn, names.data() + nIn, nOut,
                         values.data() + nIn);
      if (st != nullptr) ok = !lib.Check(st, fail_, "");
    }
    for (size_t i = 0; i < nIn; ++i) {
      if (values[i] != nullptr) f.ReleaseValue(values[i]);
    }
    for (size_t i = 0; i < nOut; ++i) outputs_[i].value = values[nIn + i];
    if (!ok) return;
    for (Output& o : outputs_) {
      if (!Describe(lib, o)) return;
    }
  }

  // Turns the outputs into JS objects (main thread, after Execute).
  Napi::Array Result(Napi::Env env) {
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
      Napi::Array dims = Napi::Array::New(env, o.dims.size());
      for (size_t d = 0; d < o.dims.size(); ++d) dims.Set(d, static_cast<double>(o.dims[d]));
      napi_property_descriptor props[] = {
          {"name", nullptr, nullptr, nullptr, nullptr, Napi::String::New(env, o.name), kPlainProperty, nullptr},
          {"type", nullptr, nullptr, nullptr, nullptr, Napi::Number::New(env, o.type), kPlainProperty, nullptr},
          {"dims", nullptr, nullptr, nullptr, nullptr, dims, kPlainProperty, nullptr},
          {"data", nullptr, nullptr, nullptr, nullptr, typed, kPlainProperty, nullptr},
      };
      Napi::Object obj = Napi::Object::New(env);
      napi_define_properties(env, obj, 4, props);
      result.Set(i, obj);
    }
    return result;
  }

 private:
  struct Input {
    std::string name;
    void* data = nullptr;
    size_t bytes = 0;
    int type = 0;
    std::vector<int64_t> shape;
  };

  struct Output {
    const char* name = nullptr;  // into the session's metadata or owned_
    int type = 0;
    std::vector<int64_t> dims;
    Value* value = nullptr;
    void* data = nullptr;
    size_t bytes = 0;
  };

  // Reads an output's element type, shape and data pointer; false on failure.
  bool Describe(const LibraryCore& lib, Output& o) {
    const Functions& f = lib.fn;
    int isTensor = 0;
    f.IsTensor(o.value, &isTensor);
    if (!isTensor) {
      fail_ = Failure{true, 9, std::string("output ") + o.name + " is not a tensor; only tensor outputs are supported"};
      return false;
    }
    TensorInfo* info = nullptr;
    Status* st = f.GetTensorTypeAndShape(o.value, &info);
    if (st != nullptr) return !lib.Check(st, fail_, std::string("output ") + o.name);
    size_t rank = 0, count = 0;
    f.GetTensorElementType(info, &o.type);
    f.GetDimensionsCount(info, &rank);
    o.dims.resize(rank);
    if (rank > 0) f.GetDimensions(info, o.dims.data(), rank);
    f.GetTensorShapeElementCount(info, &count);
    f.ReleaseTensorTypeAndShapeInfo(info);
    size_t size = ElementSize(o.type);
    if (size == 0) {
      fail_ = Failure{true, 9, std::string("output ") + o.name + " has element type " + std::to_string(o.type) +
                                   ", which the bridge does not return"};
      return false;
    }
    o.bytes = count * size;
    st = f.GetTensorMutableData(o.value, &o.data);
    if (st != nullptr) return !lib.Check(st, fail_, std::string("output ") + o.name);
    return true;
  }

  std::shared_ptr<SessionCore> core_;
  std::vector<Input> inputs_;
  std::vector<Output> outputs_;
  std::deque<std::string> owned_;  // custom output names; a deque keeps c_str() stable
  Failure fail_;
};

// A run on a libuv worker thread, settling a promise on the main thread. The
// input typed arrays are referenced until the run ends.
class RunWorker : public Napi::AsyncWorker {
 public:
  RunWorker(Napi::Env env, std::shared_ptr<SessionCore> core)
      : Napi::AsyncWorker(env, "faultsense.ort.run"), deferred_(Napi::Promise::Deferred::New(env)),
        call_(std::move(core)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }
  RunCall& call() { return call_; }
  void Keep(const Napi::TypedArray& array) { keep_.push_back(Napi::Persistent(array.As<Napi::Object>())); }

 protected:
  void Execute() override { call_.Execute(); }

  void OnOK() override {
    Napi::Env env = Env();
    keep_.clear();
    if (call_.failure().failed) {
      deferred_.Reject(MakeError(env, call_.failure()).Value());
      return;
    }
    deferred_.Resolve(call_.Result(env));
  }

  void OnError(const Napi::Error& e) override {
    keep_.clear();
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  RunCall call_;
  std::vector<Napi::ObjectReference> keep_;
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
  // Checks the arguments and fills `call`; returns an error message or "".
  // `keep` (if given) receives every input typed array.
  template <typename KeepFn>
  std::string Fill(const Napi::CallbackInfo& info, RunCall& call, KeepFn keep) {
    Napi::Array names = info[0].As<Napi::Array>();
    Napi::Array tensors = info[1].As<Napi::Array>();
    Napi::Array outNames = info[2].As<Napi::Array>();
    if (names.Length() != tensors.Length()) return "run(): one tensor per input name expected";
    for (uint32_t i = 0; i < names.Length(); ++i) {
      Napi::Value t = tensors.Get(i);
      if (!t.IsObject()) return "run(): tensors must be objects";
      Napi::TypedArray array;
      std::string err = call.AddInput(names.Get(i).ToString().Utf8Value(), t.As<Napi::Object>(), array);
      if (!err.empty()) return err;
      keep(array);
    }
    if (outNames.Length() == 0) {
      call.AddAllOutputs();
    } else {
      for (uint32_t i = 0; i < outNames.Length(); ++i) call.AddOutput(outNames.Get(i).ToString().Utf8Value());
    }
    return "";
  }

  // Why the arguments cannot be run at all, or "".
  std::string CheckArgs(const Napi::CallbackInfo& info) const {
    if (!core_) return "the session was released; load the model again";
    if (info.Length() < 3 || !info[0].IsArray() || !info[1].IsArray() || !info[2].IsArray()) {
      return "run(inputNames, tensors, outputNames): three arrays expected";
    }
    return "";
  }

  Napi::Value Run(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string err = CheckArgs(info);
    RunWorker* worker = nullptr;
    if (err.empty()) {
      worker = new RunWorker(env, core_);
      err = Fill(info, worker->call(), [worker](const Napi::TypedArray& a) { worker->Keep(a); });
    }
    if (!err.empty()) {
      delete worker;
      auto d = Napi::Promise::Deferred::New(env);
      d.Reject(MakeError(env, Failure{true, 2, err}).Value());
      return d.Promise();
    }
    Napi::Promise p = worker->Promise();
    worker->Queue();
    return p;
  }

  // The same run on the calling (main) thread, for models so small that the
  // hop to a worker thread costs more than the run. The input arrays are
  // arguments of this call, so they stay alive without references.
  Napi::Value RunSync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string err = CheckArgs(info);
    if (!err.empty()) {
      MakeError(env, Failure{true, 2, err}).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    RunCall call(core_);
    err = Fill(info, call, [](const Napi::TypedArray&) {});
    if (!err.empty()) {
      MakeError(env, Failure{true, 2, err}).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    call.Execute();
    if (call.failure().failed) {
      MakeError(env, call.failure()).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return call.Result(env);
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
