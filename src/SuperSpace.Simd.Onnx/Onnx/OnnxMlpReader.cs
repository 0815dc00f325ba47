// Walks an ONNX graph from its input to its output and rebuilds the dense network it computes.
//
// State along the chain (per column c of the current tensor x):
//   before the first linear layer   x_scaled = (x_raw − o)·s                     → Mlp.InputScaling (o, s)
//   inside a layer (after the linear op, before the activation)  z = W·x + b     → affine ops edit W and b
//   after an activation             y' = a·y + β  (pending "post" affine)         → folded into the next layer
//                                                                                   (W' = W·diag(a), b' = b + W·β),
//                                                                                   or Mlp.OutputScaling at the end
// Every fold is an exact algebraic rewrite; only double rounding separates the result from the graph.
using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using SuperSpace.Simd.Onnx.Schema;

namespace SuperSpace.Simd.Onnx;

internal static class OnnxMlpReader
{
    private const string Supported =
        "the importer reads dense MLPs: Gemm, or MatMul + Add; Sigmoid, Tanh, Relu, Softplus, Identity; Sub/Div/Mul/Add by constants; Dropout and Flatten as pass-through";

    public static Mlp Read(Stream stream)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"Not an ONNX model (the protobuf message does not parse: {e.Message}).", e);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException("Not an ONNX model: it has no graph (or an empty one).");
        }

        return new Walker(model.Graph).Run();
    }

    private sealed class Walker
    {
        private readonly GraphProto _graph;
        private readonly Dictionary<string, Constant> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly List<DenseLayer> _layers = [];
        private readonly List<double[]> _layerParameters = [];

        private int _width;              // columns of the current tensor; −1 while unknown (before the first layer)
        private int _inputCount = -1;
        private double[]? _inputOffset;  // input scaling (o, s); null = identity so far
        private double[]? _inputScale;
        private double _scalarOffset;    // input scaling while the width is unknown (scalars only)
        private double _scalarScale = 1;
        private Linear? _linear;          // the open layer (linear op seen, activation not yet)
        private double[]? _postA;         // affine after the last closed layer; null = identity
        private double[]? _postB;

        public Walker(GraphProto graph)
        {
            _graph = graph;
        }

        public Mlp Run()
        {
            foreach (TensorProto tensor in _graph.Initializer)
            {
                _constants[tensor.Name] = ReadTensor(tensor, $"initializer '{tensor.Name}'");
            }

            foreach (NodeProto node in _graph.Node)
            {
                if (node.Domain.Length != 0 && node.Domain != "ai.onnx")
                {
                    throw Unsupported(node, $"its operator domain '{node.Domain}' is not the standard ONNX domain");
                }

                if (node.OpType == "Constant")
                {
                    AddConstantNode(node);
                    continue;
                }

                foreach (string name in node.Input)
                {
                    if (name.Length == 0)
                    {
                        continue;
                    }

                    if (!_consumers.TryGetValue(name, out List<NodeProto>? list))
                    {
                        _consumers[name] = list = [];
                    }

                    list.Add(node);
                }
            }

            ValueInfoProto input = SingleInput();
            if (_graph.Output.Count != 1)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                    $"The graph has {_graph.Output.Count} outputs ({string.Join(", ", _graph.Output.Select(o => $"'{o.Name}'"))}); {Supported}, with one output tensor."));
            }

            string output = _graph.Output[0].Name;
            _width = InputWidth(input);
            if (_width > 0)
            {
                _inputCount = _width;
            }

            string current = input.Name;
            int steps = 0;
            while (current != output)
            {
                if (++steps > _graph.Node.Count)
                {
                    throw new InvalidDataException("The graph has a cycle.");
                }

                NodeProto node = SingleConsumer(current, output);
                Apply(node, current);
                if (node.Output.Count == 0 || node.Output[0].Length == 0)
                {
                    throw new InvalidDataException($"Node {Describe(node)} has no output.");
                }

                current = node.Output[0];
            }

            return Build();
        }

        private ValueInfoProto SingleInput()
        {
            var inputs = _graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToList();
            if (inputs.Count != 1)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                    $"The graph has {inputs.Count} data inputs ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); {Supported}, with one input tensor."));
            }

            return inputs[0];
        }

        private static int InputWidth(ValueInfoProto input)
        {
            TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
            if (tensor is null)
            {
                throw new NotSupportedException($"The graph input '{input.Name}' is not a tensor; {Supported}.");
            }

            if (tensor.HasElemType && tensor.ElemType != (int)TensorProto.Types.DataType.Float && tensor.ElemType != (int)TensorProto.Types.DataType.Double)
            {
                throw new NotSupportedException($"The graph input '{input.Name}' has element type {TypeName(tensor.ElemType)}; the importer reads float and double models.");
            }

            if (tensor.Shape is null || tensor.Shape.Dim.Count == 0)
            {
                return -1;
            }

            if (tensor.Shape.Dim.Count != 2)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                    $"The graph input '{input.Name}' has rank {tensor.Shape.Dim.Count}; a dense MLP takes a matrix [samples, features]."));
            }

            TensorShapeProto.Types.Dimension features = tensor.Shape.Dim[1];
            return features.HasDimValue && features.DimValue > 0 ? checked((int)features.DimValue) : -1;
        }

        private NodeProto SingleConsumer(string tensor, string output)
        {
            if (!_consumers.TryGetValue(tensor, out List<NodeProto>? list) || list.Count == 0)
            {
                throw new NotSupportedException($"The tensor '{tensor}' is not used by any node and is not the graph output '{output}'; {Supported}, as one chain from input to output.");
            }

            if (list.Count > 1)
            {
                throw new NotSupportedException($"The tensor '{tensor}' feeds {list.Count} nodes ({string.Join(", ", list.Select(Describe))}); branching graphs are not dense MLPs.");
            }

            return list[0];
        }

        private void Apply(NodeProto node, string current)
        {
            switch (node.OpType)
            {
                case "Gemm":
                    Gemm(node, current);
                    break;
                case "MatMul":
                    MatMul(node, current);
                    break;
                case "Add":
                case "Sub":
                case "Mul":
                case "Div":
                    Elementwise(node, current);
                    break;
                case "Sigmoid":
                    CloseLayer(node, Activation.Sigmoid);
                    break;
                case "Tanh":
                    CloseLayer(node, Activation.Tanh);
                    break;
                case "Relu":
                    CloseLayer(node, Activation.Relu);
                    break;
                case "Softplus":
                    CloseLayer(node, Activation.Softplus);
                    break;
                case "Identity":
                    break;
                case "Dropout":
                    Dropout(node);
                    break;
                case "Flatten":
                    Flatten(node);
                    break;
                default:
                    throw Unsupported(node, $"the op type is not one {Supported}");
            }
        }

        private void Gemm(NodeProto node, string current)
        {
            if (node.Input.Count < 2 || node.Input[0] != current)
            {
                throw Unsupported(node, "its first input (A) must be the data flowing through the network and B a constant");
            }

            if (IntAttribute(node, "transA", 0) != 0)
            {
                throw Unsupported(node, "transA = 1 transposes the data matrix");
            }

            double alpha = FloatAttribute(node, "alpha", 1);
            double beta = FloatAttribute(node, "beta", 1);
            bool transB = IntAttribute(node, "transB", 0) != 0;
            Constant b = RequireConstant(node, 1, "B (the weights)");
            if (b.Dims.Length != 2)
            {
                throw Unsupported(node, string.Create(CultureInfo.InvariantCulture, $"B has rank {b.Dims.Length}, not 2"));
            }

            // ONNX: Y = alpha·A·B' + beta·C with B' = transB ? Bᵀ : B; A is samples × inputs.
            int inputs = checked((int)(transB ? b.Dims[1] : b.Dims[0]));
            int units = checked((int)(transB ? b.Dims[0] : b.Dims[1]));
            var weights = new double[units * inputs];
            for (int j = 0; j < units; j++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    weights[(j * inputs) + i] = alpha * (transB ? b.Values[(j * inputs) + i] : b.Values[(i * units) + j]);
                }
            }

            var bias = new double[units];
            if (node.Input.Count > 2 && node.Input[2].Length != 0)
            {
                Constant c = RequireConstant(node, 2, "C (the bias)");
                double[] values = PerColumn(node, c, units, "C");
                for (int j = 0; j < units; j++)
                {
                    bias[j] = beta * values[j];
                }
            }

            OpenLayer(node, inputs, units, weights, bias);
        }

        private void MatMul(NodeProto node, string current)
        {
            if (node.Input.Count != 2 || node.Input[0] != current)
            {
                throw Unsupported(node, "it must multiply the data flowing through the network (left) by a constant weight matrix (right)");
            }

            Constant b = RequireConstant(node, 1, "the weight matrix");
            if (b.Dims.Length != 2)
            {
                throw Unsupported(node, string.Create(CultureInfo.InvariantCulture, $"the weight matrix has rank {b.Dims.Length}, not 2"));
            }

            int inputs = checked((int)b.Dims[0]);
            int units = checked((int)b.Dims[1]);
            var weights = new double[units * inputs];
            for (int j = 0; j < units; j++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    weights[(j * inputs) + i] = b.Values[(i * units) + j];
                }
            }

            OpenLayer(node, inputs, units, weights, new double[units]);
        }

        private void OpenLayer(NodeProto node, int inputs, int units, double[] weights, double[] bias)
        {
            if (_linear is not null)
            {
                // Two linear maps in a row: the first is a layer with the identity activation.
                CloseLayer(node, Activation.Identity);
            }

            if (_width > 0 && inputs != _width)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Node {Describe(node)} expects {inputs} inputs, but the tensor flowing into it has {_width} columns."));
            }

            if (_layers.Count == 0)
            {
                _inputCount = inputs;
                ResolveScalarInputScaling(inputs);
            }
            else if (_postA is not null)
            {
                // z = W·(a∘y + β) + b = (W·diag(a))·y + (b + W·β)
                for (int j = 0; j < units; j++)
                {
                    double shift = 0;
                    for (int i = 0; i < inputs; i++)
                    {
                        shift += weights[(j * inputs) + i] * _postB![i];
                        weights[(j * inputs) + i] *= _postA[i];
                    }

                    bias[j] += shift;
                }

                _postA = null;
                _postB = null;
            }

            _linear = new Linear(inputs, units, weights, bias);
            _width = units;
        }

        private void CloseLayer(NodeProto? node, Activation activation, bool fold = true)
        {
            if (_linear is null)
            {
                throw Unsupported(node!, "an activation must follow a linear layer (Gemm or MatMul), possibly with constant Add/Sub/Mul/Div in between");
            }

            if (fold)
            {
                // a∘(W·x + b) + β = (diag(a)·W)·x + (a∘b + β)
                int inputs = _linear.Inputs;
                for (int j = 0; j < _linear.Units; j++)
                {
                    double a = _linear.A[j];
                    _linear.Bias[j] = (a * _linear.Bias[j]) + _linear.B[j];
                    if (a != 1)
                    {
                        for (int i = 0; i < inputs; i++)
                        {
                            _linear.Weights[(j * inputs) + i] *= a;
                        }
                    }
                }
            }

            var parameters = new double[_linear.Weights.Length + _linear.Bias.Length];
            _linear.Weights.CopyTo(parameters, 0);
            _linear.Bias.CopyTo(parameters, _linear.Weights.Length);
            _layers.Add(new DenseLayer(_linear.Units, activation));
            _layerParameters.Add(parameters);
            _linear = null;
        }

        private void Elementwise(NodeProto node, string current)
        {
            if (node.Input.Count != 2)
            {
                throw new InvalidDataException($"Node {Describe(node)} has {node.Input.Count} inputs; {node.OpType} takes 2.");
            }

            bool dataFirst = node.Input[0] == current;
            int constantIndex = dataFirst ? 1 : 0;
            if (!_constants.ContainsKey(node.Input[constantIndex]))
            {
                throw Unsupported(node, "both operands are computed tensors (an MLP only adds or scales by constants)");
            }

            if (node.OpType == "Div" && !dataFirst)
            {
                throw Unsupported(node, "it divides a constant by the data, which is not an affine map");
            }

            Constant constant = _constants[node.Input[constantIndex]];
            if (_linear is not null)
            {
                // Inside a layer: z' = a∘z + β, kept aside until we know whether an activation follows (then it is
                // folded into W and b) or the graph ends (then it is the network's output scaling).
                double[] c = PerColumn(node, constant, _linear.Units, "the constant");
                for (int j = 0; j < _linear.Units; j++)
                {
                    (double a, double beta) = Affine(node.OpType, dataFirst, c[j]);
                    _linear.A[j] *= a;
                    _linear.B[j] = (a * _linear.B[j]) + beta;
                }
            }
            else if (_layers.Count == 0)
            {
                InputAffine(node, constant, dataFirst);
            }
            else
            {
                int width = _width;
                double[] c = PerColumn(node, constant, width, "the constant");
                _postA ??= Enumerable.Repeat(1.0, width).ToArray();
                _postB ??= new double[width];
                for (int j = 0; j < width; j++)
                {
                    (double a, double beta) = Affine(node.OpType, dataFirst, c[j]);
                    _postA[j] *= a;
                    _postB[j] = (a * _postB[j]) + beta;
                }
            }
        }

        // op(x, c) = a·x + β for one column.
        private static (double A, double Beta) Affine(string op, bool dataFirst, double c) => op switch
        {
            "Add" => (1, c),
            "Sub" => dataFirst ? (1, -c) : (-1, c),
            "Mul" => (c, 0),
            _ => (1 / c, 0), // Div, data first
        };

        // Input scaling kept as (x − o)·s, the form of FeatureScaling, so Sub(mean) then Div(std) stay exact.
        private void InputAffine(NodeProto node, Constant constant, bool dataFirst)
        {
            if (constant.Count == 1 && _width <= 0)
            {
                double c = constant.Values[0];
                CheckDivisor(node, c);
                (_scalarOffset, _scalarScale) = Compose(node.OpType, dataFirst, _scalarOffset, _scalarScale, c);
                return;
            }

            if (_width <= 0)
            {
                _width = constant.Count;
                _inputCount = _width;
            }

            ResolveScalarInputScaling(_width);
            double[] values = PerColumn(node, constant, _width, "the constant");
            for (int j = 0; j < _width; j++)
            {
                CheckDivisor(node, values[j]);
                (_inputOffset![j], _inputScale![j]) = Compose(node.OpType, dataFirst, _inputOffset[j], _inputScale[j], values[j]);
            }
        }

        private static (double Offset, double Scale) Compose(string op, bool dataFirst, double o, double s, double c) => op switch
        {
            "Add" => (o - (c / s), s),               // (x−o)s + c = (x − (o − c/s))s
            "Sub" when dataFirst => (o + (c / s), s), // (x−o)s − c
            "Sub" => (o + (c / s), -s),               // c − (x−o)s = (x − (o + c/s))(−s)
            "Mul" => (o, s * c),
            _ => (o, s / c),                          // Div
        };

        private void CheckDivisor(NodeProto node, double c)
        {
            if (c == 0 && (node.OpType == "Mul" || node.OpType == "Div"))
            {
                throw Unsupported(node, node.OpType == "Mul" ? "it multiplies an input by zero, which no input scaling can represent" : "it divides by zero");
            }
        }

        private void ResolveScalarInputScaling(int width)
        {
            if (_inputOffset is not null)
            {
                return;
            }

            _inputOffset = Enumerable.Repeat(_scalarOffset, width).ToArray();
            _inputScale = Enumerable.Repeat(_scalarScale, width).ToArray();
        }

        private void Dropout(NodeProto node)
        {
            if (node.Input.Count > 2 && node.Input[2].Length != 0)
            {
                Constant? training = _constants.GetValueOrDefault(node.Input[2]);
                if (training is null || training.Values.Any(v => v != 0))
                {
                    throw Unsupported(node, "its training_mode input is not a constant false");
                }
            }

            if (node.Output.Count > 1 && node.Output[1].Length != 0 && _consumers.ContainsKey(node.Output[1]))
            {
                throw Unsupported(node, "its mask output is used");
            }
        }

        private void Flatten(NodeProto node)
        {
            if (IntAttribute(node, "axis", 1) != 1)
            {
                throw Unsupported(node, "only Flatten with axis = 1 of a matrix is a no-op");
            }

            // The data is a matrix [samples, columns] everywhere on the chain (the input's rank is checked), so this is the identity.
        }

        private Mlp Build()
        {
            if (_linear is not null)
            {
                // The graph ends on a linear map: an affine after it (y·σ + μ, undoing target scaling) stays the
                // output scaling, unless it multiplies by zero.
                bool keep = _linear.A.All(a => a != 0 && double.IsFinite(a)) && (_linear.A.Any(a => a != 1) || _linear.B.Any(b => b != 0));
                if (keep)
                {
                    _postA = _linear.A;
                    _postB = _linear.B;
                }

                CloseLayer(null, Activation.Identity, fold: !keep);
            }

            if (_layers.Count == 0)
            {
                throw new NotSupportedException($"The graph has no linear layer (Gemm or MatMul); {Supported}.");
            }

            var network = new Mlp(_inputCount, [.. _layers]);
            Span<double> parameters = network.Parameters;
            int offset = 0;
            foreach (double[] layer in _layerParameters)
            {
                layer.CopyTo(parameters[offset..]);
                offset += layer.Length;
            }

            for (int k = 0; k < parameters.Length; k++)
            {
                if (!double.IsFinite(parameters[k]))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The network's parameter {k} is not finite ({parameters[k]})."));
                }
            }

            ResolveScalarInputScaling(_inputCount);
            if (_inputOffset!.Any(o => o != 0) || _inputScale!.Any(s => s != 1))
            {
                network.InputScaling = new FeatureScaling(_inputOffset, _inputScale);
            }

            if (_postA is not null)
            {
                // out = a·y + β; FeatureScaling.Invert computes y/scale + offset.
                double[] scale = _postA.Select(a => 1 / a).ToArray();
                if (_postA.Any(a => a == 0 || !double.IsFinite(a)))
                {
                    throw new NotSupportedException("The graph multiplies an output by zero after the last layer; no output scaling can represent it.");
                }

                network.OutputScaling = new FeatureScaling(_postB, scale);
            }

            return network;
        }

        private void AddConstantNode(NodeProto node)
        {
            if (node.Output.Count != 1)
            {
                throw new InvalidDataException($"Node {Describe(node)} must have one output.");
            }

            foreach (AttributeProto attribute in node.Attribute)
            {
                switch (attribute.Name)
                {
                    case "value":
                        _constants[node.Output[0]] = ReadTensor(attribute.T ?? throw new InvalidDataException($"Node {Describe(node)} has an empty 'value'."), $"node {Describe(node)}");
                        return;
                    case "value_float":
                        _constants[node.Output[0]] = new Constant([], [attribute.F]);
                        return;
                    case "value_floats":
                        _constants[node.Output[0]] = new Constant([attribute.Floats.Count], attribute.Floats.Select(f => (double)f).ToArray());
                        return;
                }
            }

            throw Unsupported(node, "its value is not a float or double tensor ('value', 'value_float' or 'value_floats')");
        }

        private Constant RequireConstant(NodeProto node, int index, string what)
        {
            if (node.Input.Count <= index || !_constants.TryGetValue(node.Input[index], out Constant? constant))
            {
                throw Unsupported(node, $"{what} is not a constant (an initializer or a Constant node)");
            }

            return constant;
        }

        // A constant broadcast over `count` columns: a scalar, [count] or [1, count].
        private static double[] PerColumn(NodeProto node, Constant constant, int count, string what)
        {
            if (constant.Count == 1)
            {
                return Enumerable.Repeat(constant.Values[0], count).ToArray();
            }

            bool vector = constant.Dims.Length == 1 || (constant.Dims.Length == 2 && constant.Dims[0] == 1);
            if (!vector || constant.Count != count)
            {
                throw Unsupported(node, string.Create(CultureInfo.InvariantCulture,
                    $"{what} has shape [{string.Join(", ", constant.Dims)}]; it must be a scalar or one value per column ({count})"));
            }

            return constant.Values;
        }

        private static long IntAttribute(NodeProto node, string name, long fallback)
        {
            AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
            return attribute is null ? fallback : attribute.I;
        }

        private static double FloatAttribute(NodeProto node, string name, double fallback)
        {
            AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
            return attribute is null ? fallback : attribute.F;
        }

        private static Constant ReadTensor(TensorProto tensor, string where)
        {
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                throw new NotSupportedException($"The {where} stores its data in an external file; save the model with its data inside (onnx.save(..., save_as_external_data=False)).");
            }

            long[] dims = [.. tensor.Dims];
            long count = 1;
            foreach (long d in dims)
            {
                if (d < 0)
                {
                    throw new InvalidDataException($"The {where} has a negative dimension.");
                }

                count = checked(count * d);
            }

            if (count > Array.MaxLength)
            {
                throw new InvalidDataException($"The {where} has {count} elements, more than an array holds.");
            }

            var values = new double[count];
            var type = (TensorProto.Types.DataType)tensor.DataType;
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            switch (type)
            {
                case TensorProto.Types.DataType.Float when !raw.IsEmpty:
                    CheckLength(raw.Length, count * sizeof(float), where);
                    for (int k = 0; k < values.Length; k++)
                    {
                        values[k] = BinaryPrimitives.ReadSingleLittleEndian(raw[(k * sizeof(float))..]);
                    }

                    break;
                case TensorProto.Types.DataType.Float:
                    CheckLength(tensor.FloatData.Count, count, where);
                    for (int k = 0; k < values.Length; k++)
                    {
                        values[k] = tensor.FloatData[k];
                    }

                    break;
                case TensorProto.Types.DataType.Double when !raw.IsEmpty:
                    CheckLength(raw.Length, count * sizeof(double), where);
                    for (int k = 0; k < values.Length; k++)
                    {
                        values[k] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(k * sizeof(double))..]);
                    }

                    break;
                case TensorProto.Types.DataType.Double:
                    CheckLength(tensor.DoubleData.Count, count, where);
                    tensor.DoubleData.CopyTo(values, 0);
                    break;
                case TensorProto.Types.DataType.Int64 when raw.IsEmpty:
                    // Shapes and flags (e.g. Dropout's training_mode) travel as integer constants.
                    CheckLength(tensor.Int64Data.Count, count, where);
                    for (int k = 0; k < values.Length; k++)
                    {
                        values[k] = tensor.Int64Data[k];
                    }

                    break;
                case TensorProto.Types.DataType.Bool when raw.IsEmpty:
                    CheckLength(tensor.Int32Data.Count, count, where);
                    for (int k = 0; k < values.Length; k++)
                    {
                        values[k] = tensor.Int32Data[k];
                    }

                    break;
                case TensorProto.Types.DataType.Bool:
                    CheckLength(raw.Length, count, where);
                    for (int k = 0; k < values.Length; k++)
                    {
                        values[k] = raw[k];
                    }

                    break;
                default:
                    throw new NotSupportedException($"The {where} has element type {TypeName(tensor.DataType)}; the importer reads float and double weights.");
            }

            return new Constant(dims, values);
        }

        private static void CheckLength(long actual, long expected, string where)
        {
            if (actual != expected)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The {where} holds {actual} values (or bytes) where its shape needs {expected}."));
            }
        }

        private static string TypeName(int dataType) =>
            Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
                ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
                : dataType.ToString(CultureInfo.InvariantCulture);

        private static NotSupportedException Unsupported(NodeProto node, string why) =>
            new($"Unsupported node {Describe(node)}: {why}.");

        private static string Describe(NodeProto node) =>
            node.Name.Length == 0 ? $"{node.OpType} (unnamed, output '{node.Output.FirstOrDefault()}')" : $"{node.OpType} '{node.Name}'";
    }

    private sealed record Constant(long[] Dims, double[] Values)
    {
        public int Count => Values.Length;
    }

    private sealed record Linear(int Inputs, int Units, double[] Weights, double[] Bias)
    {
        /// <summary>The affine map z' = A∘z + B applied after the linear op (identity until an Add/Sub/Mul/Div).</summary>
        public double[] A { get; } = Enumerable.Repeat(1.0, Units).ToArray();

        public double[] B { get; } = new double[Units];
    }
}
