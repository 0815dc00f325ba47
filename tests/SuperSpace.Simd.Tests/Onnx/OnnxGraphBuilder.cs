using Google.Protobuf;
using SuperSpace.Simd.Onnx.Schema;
using DataType = SuperSpace.Simd.Onnx.Schema.TensorProto.Types.DataType;

namespace SuperSpace.Simd.Tests.Onnx;

/// <summary>Builds small ONNX models in memory, the way PyTorch and tf2onnx lay out dense networks.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "mlp" };
    private readonly Random _random;
    private int _counter;

    public OnnxGraphBuilder(int seed, DataType elementType = DataType.Float, bool rawData = true)
    {
        _random = new Random(seed);
        ElementType = elementType;
        RawData = rawData;
    }

    public DataType ElementType { get; }

    /// <summary>Tensor data in raw_data (as exporters write it) or in the typed repeated field.</summary>
    public bool RawData { get; set; }

    /// <summary>Declares the graph input [batch, features]; features ≤ 0 leaves the dimension symbolic.</summary>
    public string Input(string name, int features)
    {
        _graph.Input.Add(ValueInfo(name, features));
        return name;
    }

    /// <summary>Weights uniform in [−scale, scale], rounded to the element type.</summary>
    public double[] RandomValues(int count, double scale = 1)
    {
        var values = new double[count];
        for (int k = 0; k < count; k++)
        {
            values[k] = Round(scale * ((2 * _random.NextDouble()) - 1));
        }

        return values;
    }

    public double Round(double value) => ElementType == DataType.Float ? (float)value : value;

    public string Initializer(long[] dims, double[] values, string? name = null)
    {
        name ??= $"w{_counter++}";
        _graph.Initializer.Add(Tensor(name, dims, values));
        return name;
    }

    /// <summary>A Constant node holding the tensor (as PyTorch's exporter emits for small constants).</summary>
    public string ConstantNode(long[] dims, double[] values)
    {
        string name = $"const{_counter++}";
        var node = new NodeProto { OpType = "Constant", Name = name + "_node" };
        node.Output.Add(name);
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = Tensor(string.Empty, dims, values) });
        _graph.Node.Add(node);
        return name;
    }

    public string Node(string opType, string[] inputs, string? name = null, params AttributeProto[] attributes)
    {
        string output = $"t{_counter++}";
        var node = new NodeProto { OpType = opType, Name = name ?? $"{opType.ToLowerInvariant()}_{_counter}" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>PyTorch nn.Linear: Gemm(x, W[units, inputs], b[units]) with transB = 1.</summary>
    public string TorchLinear(string x, int inputs, int units, out double[] weights, out double[] bias)
    {
        weights = RandomValues(units * inputs);
        bias = RandomValues(units, 0.5);
        string w = Initializer([units, inputs], weights);
        string b = Initializer([units], bias);
        return Node("Gemm", [x, w, b], null, Int("transB", 1), Float("alpha", 1), Float("beta", 1));
    }

    /// <summary>Keras Dense through tf2onnx: MatMul(x, W[inputs, units]) then Add(b[units]).</summary>
    public string KerasDense(string x, int inputs, int units)
    {
        string w = Initializer([inputs, units], RandomValues(inputs * units));
        string b = Initializer([units], RandomValues(units, 0.5));
        string product = Node("MatMul", [x, w]);
        return Node("Add", [product, b]);
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>The serialised model with <paramref name="output"/> as the graph output [batch, outputs].</summary>
    public byte[] Build(string output, int outputs, int opset = 17)
    {
        _graph.Output.Add(ValueInfo(output, outputs));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "SuperSpace.Simd.Tests",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model.ToByteArray();
    }

    public GraphProto Graph => _graph;

    private ValueInfoProto ValueInfo(string name, int columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(columns > 0 ? new TensorShapeProto.Types.Dimension { DimValue = columns } : new TensorShapeProto.Types.Dimension { DimParam = "features" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)ElementType, Shape = shape } },
        };
    }

    private TensorProto Tensor(string name, long[] dims, double[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)ElementType };
        tensor.Dims.Add(dims);
        if (ElementType == DataType.Float)
        {
            float[] floats = values.Select(v => (float)v).ToArray();
            if (RawData)
            {
                tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()));
            }
            else
            {
                tensor.FloatData.Add(floats);
            }
        }
        else if (RawData)
        {
            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            tensor.DoubleData.Add(values);
        }

        return tensor;
    }
}
