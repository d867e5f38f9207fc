<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CanvasView</name>
    <message>
        <location filename="../../resnet_studio/gui/canvas.py" line="+494"/>
        <source>cannot export to {0!r}: use a .png or .svg file</source>
        <translation>无法导出到 {0!r}：请使用 .png 或 .svg 文件</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/gui/canvas_items.py" line="+108"/>
        <source>Fix…</source>
        <translation>修复…</translation>
    </message>
    <message>
        <location line="+474"/>
        <source>relu</source>
        <translation>relu</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>drop layers here</source>
        <translation>把层拖放到这里</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/gui/canvas_layout.py" line="+56"/>
        <source>dilation {0}</source>
        <translation>膨胀 {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>groups {0}</source>
        <translation>分组 {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>slope {0}</source>
        <translation>斜率 {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ceil</source>
        <translation>向上取整</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>global</source>
        <translation>全局</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>identity</source>
        <translation>恒等</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>zero-pad</source>
        <translation>补零</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>projection 1×1</source>
        <translation>投影 1×1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>plain block</source>
        <translation>普通块</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>zero-pad both sides</source>
        <translation>两侧补零</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>input {0}</source>
        <translation>输入 {0}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>1 class</source>
        <translation>1 个类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0:,} classes</source>
        <translation>{0:,} 个类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>output unknown</source>
        <translation>输出未知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>output {0}</source>
        <translation>输出 {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} parameters · {1} multiply-adds</source>
        <translation>{0} 个参数 · {1} 次乘加</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>{0} — {1}
output {2}
{3} parameters · {4} multiply-adds</source>
        <translation>{0} — {1}
输出 {2}
{3} 个参数 · {4} 次乘加</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Error: {0}</source>
        <translation>错误：{0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Click Fix… (or right-click) to:
{0}</source>
        <translation>点击“修复…”（或右键单击）可以：
{0}</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>shortcut: {0}</source>
        <translation>捷径：{0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(auto)</source>
        <translation>（自动）</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>1 repetition of its body</source>
        <translation>主体重复 1 次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} repetitions of its body</source>
        <translation>主体重复 {0} 次</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} layers</source>
        <translation>{0} 层</translation>
    </message>
</context>
<context>
    <name>CellGrid</name>
    <message>
        <location filename="../../resnet_studio/gui/experiment_grid.py" line="+225"/>
        <source>No experiment chosen</source>
        <translation>未选择实验</translation>
    </message>
</context>
<context>
    <name>ConfusionView</name>
    <message>
        <location filename="../../resnet_studio/gui/evaluation_views.py" line="+110"/>
        <source>No evaluation</source>
        <translation>没有评估</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>true {0}, predicted {1}: {2:,} images ({3:.1%} of {0})</source>
        <translation>真实 {0}，预测 {1}：{2:,} 张图像（占 {0} 的 {3:.1%}）</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <location filename="../../resnet_studio/gui/live_plots.py" line="+350"/>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Iterations</source>
        <translation>迭代次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save Plot…</source>
        <translation>保存图表…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save Data…</source>
        <translation>保存数据…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The points of the shown runs as CSV</source>
        <translation>把所显示运行的数据点保存为 CSV</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>X axis</source>
        <translation>横轴</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>dashed: training, solid: validation</source>
        <translation>虚线：训练，实线：验证</translation>
    </message>
    <message>
        <location line="+185"/>
        <source>No runs yet: Train… starts one.</source>
        <translation>还没有运行：点击“训练…”开始一个。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tick a run in the Runs tab to plot its curves.</source>
        <translation>在“运行”标签页中勾选一个运行，即可绘制其曲线。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No data yet: {0} logged no step so far.</source>
        <translation>还没有数据：{0} 尚未记录任何一步。</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>error (%)</source>
        <translation>误差 (%)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>iteration</source>
        <translation>迭代</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>iteration {0}</source>
        <translation>第 {0} 次迭代</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>epoch {0}</source>
        <translation>第 {0} 轮</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>val</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Save Plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Save Data</source>
        <translation>保存数据</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Could not save:
{0}</source>
        <translation>无法保存：
{0}</translation>
    </message>
</context>
<context>
    <name>DataFields</name>
    <message>
        <location filename="../../resnet_studio/gui/train_dialog.py" line="+129"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Folder of Images</source>
        <translation>图像文件夹</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Data Root</source>
        <translation>数据根目录</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../resnet_studio/gui/evaluation_panel.py" line="+211"/>
        <source>Drop an image here</source>
        <translation>把图像拖放到这里</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Drop an image file to see each shown run&apos;s top-5 classes</source>
        <translation>拖放一个图像文件，查看每个所显示运行的前 5 个类别</translation>
    </message>
</context>
<context>
    <name>EvaluationColumn</name>
    <message>
        <location line="-58"/>
        <source>{0} error &lt;b&gt;{1:.2%}&lt;/b&gt;</source>
        <translation>{0}误差 &lt;b&gt;{1:.2%}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>top-5 {0:.2%}</source>
        <translation>top-5 {0:.2%}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0:,} {1} images of {2}; top-1 accuracy {3:.2%}; mean loss {4:.4f}. Beside or below the matrix: the {5} worst-classified images, highest loss first; click one for its top-5.</source>
        <translation>{2} 的 {0:,} 张{1}图像；top-1 准确率 {3:.2%}；平均损失 {4:.4f}。矩阵旁边或下方：分类最差的 {5} 张图像，损失最高的在前；点击一张可查看其 top-5。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Image {0}, true class &lt;b&gt;{1}&lt;/b&gt;: top-5 {2}</source>
        <translation>图像 {0}，真实类别 &lt;b&gt;{1}&lt;/b&gt;：top-5 {2}</translation>
    </message>
</context>
<context>
    <name>EvaluationPanel</name>
    <message>
        <location line="+71"/>
        <source>Test split</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation split</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The test split is never used in training; validation picks nothing either</source>
        <translation>测试集从不用于训练；验证集也不用于任何选择</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate the shown runs again</source>
        <translation>重新评估所显示的运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save Report…</source>
        <translation>保存报告…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write report.json, the confusion matrix (CSV, PNG) and the mistakes (PNG)</source>
        <translation>写出 report.json、混淆矩阵（CSV、PNG）和错例（PNG）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Classify Image…</source>
        <translation>分类图像…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose an image file to classify with the shown runs</source>
        <translation>选择一个图像文件，用所显示的运行对它分类</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Select a trained run in the Runs tab to evaluate it on held-out images.</source>
        <translation>在“运行”标签页中选择一个已训练的运行，在留出的图像上评估它。</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>damaged: {0}</source>
        <translation>已损坏：{0}</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+87"/>
        <source>no trained weights yet</source>
        <translation>还没有已训练的权重</translation>
    </message>
    <message>
        <location line="-82"/>
        <source>training; evaluated when it ends (Evaluate: the last checkpoint now)</source>
        <translation>正在训练；结束时评估（点击“评估”：立即评估最近的检查点）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>evaluating in the background…</source>
        <translation>正在后台评估…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Select a trained run first.</source>
        <translation>请先选择一个已训练的运行。</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Classify Image</source>
        <translation>分类图像</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images ({0})</source>
        <translation>图像 ({0})</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save Evaluation Report</source>
        <translation>保存评估报告</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Saved the report in {0}</source>
        <translation>已把报告保存到 {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot save the report</source>
        <translation>无法保存报告</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/gui/evaluation_jobs.py" line="+153"/>
        <source>{0}: not a readable image ({1})</source>
        <translation>{0}：不是可读取的图像（{1}）</translation>
    </message>
</context>
<context>
    <name>ExperimentFigures</name>
    <message>
        <location filename="../../resnet_studio/gui/experiment_figures.py" line="+45"/>
        <source>dashed: training, solid: validation; bands: ± std over seeds</source>
        <translation>虚线：训练，实线：验证；阴影带：各随机种子间的 ± 标准差</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Exponential moving average of the training curves (validation is kept)</source>
        <translation>训练曲线的指数滑动平均（验证曲线保持不变）</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+26"/>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Smoothing:</source>
        <translation>平滑：</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>{0} layers · {1}</source>
        <translation>{0} 层 · {1}</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>{0}: no epochs yet</source>
        <translation>{0}：还没有完成的轮次</translation>
    </message>
</context>
<context>
    <name>ExperimentsPanel</name>
    <message>
        <location filename="../../resnet_studio/gui/experiment_panel.py" line="+151"/>
        <source>epoch {0}</source>
        <translation>第 {0} 轮</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>train err {0}</source>
        <translation>训练误差 {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val err {0}</source>
        <translation>验证误差 {0}</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new experiment (Training → New Experiment…)</source>
        <translation>开始一个新实验（训练 → 新建实验…）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open an experiment folder from elsewhere</source>
        <translation>打开其他位置的实验文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop every running cell after its batch; each keeps a checkpoint</source>
        <translation>在当前批次之后停止每个正在运行的单元；每个都会保留检查点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue: stopped and interrupted runs from their checkpoints, failed ones again, queued ones start; finished ones are kept</source>
        <translation>继续：已停止和被中断的运行从检查点继续，失败的重新运行，排队的开始运行；已完成的保持不变</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look for experiments in the runs folder again</source>
        <translation>重新在运行文件夹中查找实验</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Figures</source>
        <translation>图表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>{0} (cannot be read)</source>
        <translation>{0}（无法读取）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source> · running</source>
        <translation> · 正在运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}
{1} · {2} runs{3}</source>
        <translation>{0}
{1} · {2} 个运行{3}</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>, {0:,} images</source>
        <translation>，{0:,} 张图像</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> — stopping: each running cell saves a checkpoint…</source>
        <translation> — 正在停止：每个正在运行的单元都会保存检查点…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>default recipe</source>
        <translation>默认训练方案</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Cannot read the experiment: {0}</source>
        <translation>无法读取实验：{0}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No verdict yet: it compares networks once their runs have finished.</source>
        <translation>尚无结论：各网络的运行完成后才会进行比较。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Double-click a run to open it in the Runs tab.</source>
        <translation>双击一个运行，即可在“运行”标签页中打开它。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Experiment stopped</source>
        <translation>实验已停止</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Some of its runs are training in another process; wait for them</source>
        <translation>它的一些运行正在另一个进程中训练；请等待它们结束</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot resume</source>
        <translation>无法继续</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open Experiment</source>
        <translation>打开实验</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot open experiment</source>
        <translation>无法打开实验</translation>
    </message>
</context>
<context>
    <name>FullVersion</name>
    <message>
        <location filename="../../resnet_studio/gui/full_version_box.py" line="+21"/>
        <source>Needs the Full Version</source>
        <translation>需要完整版</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/guide.py" line="+40"/>
        <source>About Residual Learning</source>
        <translation>关于残差学习</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>1. The degradation problem</source>
        <translation>1. 退化问题</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stack more layers on a plain network and, past some depth, it gets &lt;b&gt;worse on its own training data&lt;/b&gt;: a 56-layer plain net ends with a higher training error than a 20-layer one. That is not overfitting (the training error itself is higher) and, with batch normalisation, not vanishing gradients either: the deeper net is harder to optimise.</source>
        <translation>在普通网络上不断堆叠层，超过一定深度后，它&lt;b&gt;在自己的训练数据上反而变差&lt;/b&gt;：56 层普通网络最终的训练误差高于 20 层的。这不是过拟合（升高的正是训练误差本身），在使用批归一化的情况下也不是梯度消失：更深的网络更难优化。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>See it: {0} trains plain and residual nets at 20–56 layers.</source>
        <translation>亲眼看看：{0}训练 20–56 层的普通网络和残差网络。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the degradation study</source>
        <translation>退化研究</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>2. Why a deeper net should be no worse</source>
        <translation>2. 为什么更深的网络不应该更差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Take a trained shallow net and add layers that each compute the &lt;b&gt;identity&lt;/b&gt; (output = input). The deeper net then computes exactly what the shallow one did, so its training error is the same. So a deeper net &lt;i&gt;can&lt;/i&gt; always do at least as well; if it trains worse, the solver failed to find that solution. Plain layers have to learn the identity from random weights, which is hard for a stack of convolutions and ReLUs.</source>
        <translation>取一个训练好的浅层网络，在后面加上若干层，每层都只做&lt;b&gt;恒等映射&lt;/b&gt;（输出 = 输入）。这样得到的深层网络与原来的浅层网络计算结果完全相同，训练误差也就相同。所以更深的网络&lt;i&gt;至少能&lt;/i&gt;做得一样好；如果它训练得更差，说明优化器没能找到这个解。普通网络的层必须从随机权重出发学会恒等映射，而这对一叠卷积和 ReLU 来说很难。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>3. Residual learning: F(x) + x</source>
        <translation>3. 残差学习：F(x) + x</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A residual block lets its layers learn F(x) = H(x) − x, the change to make, and adds its input back: the output is F(x) + x through a &lt;b&gt;shortcut connection&lt;/b&gt;. The identity now costs nothing: weights near zero give F(x) ≈ 0 and the block passes x through. The layers only learn how far the wanted mapping is from the identity.</source>
        <translation>残差块让其中的层学习 F(x) = H(x) − x，即需要做出的改变，再把输入加回去：通过&lt;b&gt;捷径连接&lt;/b&gt;，输出为 F(x) + x。这样恒等映射毫不费力：权重接近零时 F(x) ≈ 0，块直接把 x 传过去。各层只需学习期望的映射与恒等映射相差多少。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Compare {0} with {1}: the same layers, without the shortcuts.</source>
        <translation>把 {0} 与{1}比较：层完全相同，只是没有捷径。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its plain twin</source>
        <translation>它的普通孪生网络</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>4. Shortcuts that change shape: options A and B</source>
        <translation>4. 改变形状的捷径：选项 A 和 B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where a block halves the image and doubles the channels, x and F(x) differ in shape. &lt;b&gt;Option A&lt;/b&gt; keeps the identity: it subsamples x and pads the new channels with zeros (no parameters; the CIFAR nets use it). &lt;b&gt;Option B&lt;/b&gt; uses a 1×1 convolution with stride 2, a projection, only there (the ImageNet nets use it).</source>
        <translation>当一个块把图像尺寸减半、通道数加倍时，x 与 F(x) 的形状不同。&lt;b&gt;选项 A&lt;/b&gt; 保持恒等：对 x 下采样，新增的通道补零（无参数；CIFAR 网络使用它）。&lt;b&gt;选项 B&lt;/b&gt; 只在这些地方使用步长为 2 的 1×1 卷积，即投影捷径（ImageNet 网络使用它）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>See the difference: {0}.</source>
        <translation>看看区别：{0}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the shortcuts study</source>
        <translation>捷径研究</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>5. The bottleneck block</source>
        <translation>5. 瓶颈结构</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deeper ImageNet nets (50 layers and more) use 1×1 → 3×3 → 1×1 blocks: the first 1×1 reduces the channels (256 to 64), the 3×3 works on the few, the last 1×1 restores them. Such a block has about as many weights as a basic block of two 3×3 convolutions on 64 channels (69,632 against 73,728) while its input and output are four times as wide.</source>
        <translation>更深的 ImageNet 网络（50 层及以上）使用 1×1 → 3×3 → 1×1 的块：第一个 1×1 减少通道数（从 256 到 64），3×3 在较少的通道上计算，最后的 1×1 再恢复通道数。这样的块的权重数与 64 通道上两个 3×3 卷积组成的基本块相当（69,632 对 73,728），而它的输入和输出却宽了四倍。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open {0} (bottleneck) beside {1} (basic), or run {2}.</source>
        <translation>并排打开 {0}（瓶颈块）和 {1}（基本块），或运行{2}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the bottleneck study</source>
        <translation>瓶颈研究</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>6. Residual functions are small</source>
        <translation>6. 残差函数很小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The paper&apos;s Fig. 7 measures the standard deviation of each 3×3 layer&apos;s responses: in ResNets they are smaller than in plain nets, and smaller still in deeper ResNets. The layers learn small corrections to the identity, as section 2 suggests. Every experiment draws this figure (Experiments tab, and &lt;code&gt;resnet-studio experiment show&lt;/code&gt;).</source>
        <translation>论文图 7 测量了每个 3×3 层响应的标准差：残差网络中的响应比普通网络小，越深的残差网络越小。正如第 2 节所说，各层学到的是对恒等映射的小幅修正。每个实验都会绘制这张图（“实验”标签页，以及 &lt;code&gt;resnet-studio experiment show&lt;/code&gt;）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>7. Batch normalisation, no dropout</source>
        <translation>7. 批归一化，不用 Dropout</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every convolution is followed by batch normalisation before its ReLU; the paper uses no dropout. That is why the plain nets&apos; trouble is not vanishing signals: BN keeps them alive, and still the deep plain nets train worse.</source>
        <translation>每个卷积之后、ReLU 之前都有批归一化；论文不使用 Dropout。因此普通网络的问题并不是信号消失：BN 让信号保持正常，深层普通网络却仍然训练得更差。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Deep residual learning in seven ideas</source>
        <translation>深度残差学习的七个要点</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>He, Zhang, Ren and Sun, Deep Residual Learning for Image Recognition, 2015.</source>
        <translation>He、Zhang、Ren、Sun，《Deep Residual Learning for Image Recognition》（深度残差学习用于图像识别），2015。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/import_dialog.py" line="+110"/>
        <source>Import a PyTorch Model</source>
        <translation>导入 PyTorch 模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>torchvision model</source>
        <translation>torchvision 模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python file</source>
        <translation>Python 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>H</source>
        <translation>H</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>W</source>
        <translation>W</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Input shape:</source>
        <translation>输入形状：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Importing… (closing this dialog abandons it)</source>
        <translation>正在导入…（关闭此对话框即放弃）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>optional: a state_dict file; none is downloaded</source>
        <translation>可选：一个 state_dict 文件；不会下载任何东西</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights for the torchvision model</source>
        <translation>torchvision 模型的权重</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights:</source>
        <translation>权重：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;Importing from a Python file runs the code in that file, with your rights.&lt;/b&gt; Only import files you trust.</source>
        <translation>&lt;b&gt;从 Python 文件导入会以你的权限运行该文件中的代码。&lt;/b&gt;只导入你信任的文件。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>path/to/model.py</source>
        <translation>路径/model.py</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Python file to import</source>
        <translation>要导入的 Python 文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the class (or function) that makes it</source>
        <translation>构建模型的类（或函数）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional, as JSON: {&quot;num_classes&quot;: 10}</source>
        <translation>可选，JSON 格式：{&quot;num_classes&quot;: 10}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>I trust this file: run its code to import the model</source>
        <translation>我信任此文件：运行其中的代码来导入模型</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+29"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Class:</source>
        <translation>类：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Arguments:</source>
        <translation>构造参数：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A TorchScript archive, or a weights-only state_dict matched against the presets and the network in this window. Read as data: nothing in the file runs.</source>
        <translation>TorchScript 存档，或只含权重的 state_dict（与预设网络及本窗口中的网络比对）。只作为数据读取：文件中的任何内容都不会运行。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>path/to/model.pt</source>
        <translation>路径/model.pt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model file to import</source>
        <translation>要导入的模型文件</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Name a torchvision model</source>
        <translation>请填写 torchvision 模型的名称</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+10"/>
        <location line="+15"/>
        <source>{0}: no such file</source>
        <translation>{0}：文件不存在</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Choose a model file</source>
        <translation>请选择模型文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Tick that you trust this file before it runs</source>
        <translation>运行前请勾选你信任此文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a .py file</source>
        <translation>请选择 .py 文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0}: not a .py file</source>
        <translation>{0}：不是 .py 文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name the class: a Python name such as ResNet20</source>
        <translation>请填写类名：一个 Python 名称，例如 ResNet20</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}: not a Python name</source>
        <translation>{0}：不是合法的 Python 名称</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Not valid JSON: write the arguments as an object such as {&quot;num_classes&quot;: 10}</source>
        <translation>不是有效的 JSON：请把参数写成对象，例如 {&quot;num_classes&quot;: 10}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Expected a JSON object such as {&quot;num_classes&quot;: 10}</source>
        <translation>应为 JSON 对象，例如 {&quot;num_classes&quot;: 10}</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/import_report.py" line="+84"/>
        <source>Import Report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+5"/>
        <source>Source name</source>
        <translation>源名称</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+6"/>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Why it cannot be imported</source>
        <translation>无法导入的原因</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Path here</source>
        <translation>此处的路径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights renamed</source>
        <translation>权重已改名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot be expressed ({0})</source>
        <translation>无法表示（{0}）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mapped operations ({0})</source>
        <translation>已映射的操作（{0}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Full report</source>
        <translation>完整报告</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open in Designer</source>
        <translation>在设计器中打开</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nothing to open: the operations listed cannot be expressed</source>
        <translation>没有可打开的网络：列出的操作无法表示</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy Report</source>
        <translation>复制报告</translation>
    </message>
</context>
<context>
    <name>InspectorWidget</name>
    <message>
        <location filename="../../resnet_studio/gui/inspector.py" line="+191"/>
        <source>Esc puts back {0}</source>
        <translation>按 Esc 恢复为 {0}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Select a layer on the canvas or in the layers table to see and edit its settings.</source>
        <translation>在画布或层表中选择一个层，即可查看和编辑它的设置。</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>{0} layers selected</source>
        <translation>已选中 {0} 个层</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+12"/>
        <source>Path: {0}</source>
        <translation>路径：{0}</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Path: {0} (first of {1} repetitions)</source>
        <translation>路径：{0}（{1} 次重复中的第一次）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Output {0}
{1} parameters · {2} multiply-adds</source>
        <translation>输出 {0}
{1} 个参数 · {2} 次乘加</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} multiply-adds per image</source>
        <translation>每张图像 {0} 次乘加</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not computed: an earlier layer has an error.</source>
        <translation>未计算：前面的某一层有错误。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No output: this layer cannot apply to its input.</source>
        <translation>无输出：此层无法作用于它的输入。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Fix: {0}</source>
        <translation>修复：{0}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The layer&apos;s name: part of its path; unique within its block</source>
        <translation>层的名称：是其路径的一部分；在所在块内唯一</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>{0} needs a number</source>
        <translation>{0}需要一个数字</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Name needs 1-64 letters, digits or underscores</source>
        <translation>名称需要 1–64 个字母、数字或下划线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name has {0} characters; at most 64</source>
        <translation>名称有 {0} 个字符；最多 64 个</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>space</source>
        <translation>空格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name cannot hold {0}: use letters, digits, _</source>
        <translation>名称不能包含 {0}：请使用字母、数字和 _</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>“{0}” is already used by another layer in this block.</source>
        <translation>此块中的另一层已在使用“{0}”。</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../../resnet_studio/gui/language.py" line="+33"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Applies after a restart</source>
        <translation>重启后生效</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ResNet Studio will use {0} the next time it starts.</source>
        <translation>ResNet Studio 下次启动时将使用 {0}。</translation>
    </message>
</context>
<context>
    <name>LayerStatsPanel</name>
    <message>
        <location filename="../../resnet_studio/gui/layer_stats.py" line="+94"/>
        <source>Response std (Fig. 7)</source>
        <translation>响应标准差（图 7）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Response std: standard deviation of every value of each 3×3 layer&apos;s output after BN and before the addition and ReLU, over the first 4 validation batches, BN in eval mode.
Gradient norm: norm of each conv/linear weight&apos;s gradient, last batch of the epoch.</source>
        <translation>响应标准差：每个 3×3 层在 BN 之后、相加和 ReLU 之前的输出中所有值的标准差，取前 4 个验证批次，BN 处于评估模式。
梯度范数：每个卷积/全连接层权重梯度的范数，取该轮的最后一个批次。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The epoch whose statistics are shown; at the latest it follows new epochs</source>
        <translation>显示其统计的轮次；选最新时会跟随新的轮次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sorted (descending)</source>
        <translation>排序（降序）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank the layers by value, largest first (Fig. 7, bottom)</source>
        <translation>按数值给各层排序，最大的在前（图 7 下）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save Plot…</source>
        <translation>保存图表…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location line="+163"/>
        <location line="+14"/>
        <source>Save Plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not save the plot to {0}:
{1}</source>
        <translation>无法把图表保存到 {0}：
{1}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source> (latest)</source>
        <translation>（最新）</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Select a run to see its per-layer statistics.</source>
        <translation>选择一个运行，查看其各层统计。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No runs yet: train one to see its per-layer statistics.</source>
        <translation>还没有运行：训练一个即可查看其各层统计。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No layer statistics yet. Tick “Record layer statistics” in the Train dialog; they are recorded at the end of each epoch.</source>
        <translation>还没有层统计。请在训练对话框中勾选“记录层统计”；它们在每轮结束时记录。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No response statistics: they are recorded for 3×3 convolutions followed by BatchNorm, and these networks have none.</source>
        <translation>没有响应统计：只为后接 BatchNorm 的 3×3 卷积记录，而这些网络中没有。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No gradient norms were recorded for these runs.</source>
        <translation>这些运行没有记录梯度范数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No statistics for epoch {0} in these runs.</source>
        <translation>这些运行在第 {0} 轮没有统计。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{0} (epoch {1})</source>
        <translation>{0}（第 {1} 轮）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>layer, ranked by value</source>
        <translation>层（按数值排序）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>layer index (network order)</source>
        <translation>层序号（网络顺序）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>gradient norm (log scale)</source>
        <translation>梯度范数（对数坐标）</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+16"/>
        <source>response std</source>
        <translation>响应标准差</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>No statistics for epoch {0}: {1}</source>
        <translation>第 {0} 轮没有统计：{1}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>grad norm</source>
        <translation>梯度范数</translation>
    </message>
</context>
<context>
    <name>LayersModel</name>
    <message>
        <location filename="../../resnet_studio/gui/layers_table.py" line="+93"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The layer&apos;s name; hover for its full path</source>
        <translation>层的名称；悬停可查看完整路径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The layer&apos;s type</source>
        <translation>层的类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output of the layer for one image (channels×height×width or features)</source>
        <translation>一张图像经过此层的输出（通道×高×宽，或特征数）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learned parameters</source>
        <translation>可学习的参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multiply-adds for one image, counted as torchinfo does</source>
        <translation>一张图像的乘加次数，按 torchinfo 的方式计数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}
{1} more repetitions of {2}, not listed one by one (the table would be too long); their parameters and multiply-adds are summed here</source>
        <translation>{0}
{2} 的另外 {1} 次重复未逐一列出（否则表格太长）；它们的参数和乘加次数在此合计</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not computed</source>
        <translation>未计算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not computed: an earlier layer has an error</source>
        <translation>未计算：前面的某一层有错误</translation>
    </message>
</context>
<context>
    <name>LayersView</name>
    <message>
        <location line="+247"/>
        <source>Click a problem to select its layer</source>
        <translation>点击问题以选中对应的层</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Total: {0} parameters · {1} multiply-adds · depth {2}</source>
        <translation>合计：{0} 个参数 · {1} 次乘加 · 深度 {2}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} parameters
{1} multiply-adds per image
depth: {2} weighted layers (convolutions and Linear, shortcuts not counted)</source>
        <translation>{0} 个参数
每张图像 {1} 次乘加
深度：{2} 个带权重的层（卷积和 Linear，不计捷径）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../resnet_studio/gui/actions.py" line="+24"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Network</source>
        <translation>网络(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start from an empty network in a new window</source>
        <translation>在新窗口中从空网络开始</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New from &amp;Preset…</source>
        <translation>从预设新建(&amp;P)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start from a paper network</source>
        <translation>从论文中的网络开始</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a project, or a trained model file with its weights</source>
        <translation>打开项目，或连同权重打开已训练的模型文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import a PyTorch model with its weights: torchvision&apos;s, a class in your own .py file, or a model file</source>
        <translation>连同权重导入 PyTorch 模型：torchvision 的模型、你自己 .py 文件中的类，或模型文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the project under another name</source>
        <translation>以另一个名称保存项目</translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../../resnet_studio/gui/main_window.py" line="+379"/>
        <source>Export &amp;Untrained Network…</source>
        <translation>导出未训练的网络(&amp;U)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export Layers Table as &amp;CSV…</source>
        <translation>将层表导出为 &amp;CSV…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write every layer&apos;s shape, parameters and multiply-adds</source>
        <translation>写出每一层的形状、参数和乘加次数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export Canvas as &amp;Image…</source>
        <translation>将画布导出为图像(&amp;I)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Draw the network as a PNG or SVG picture</source>
        <translation>将网络绘制为 PNG 或 SVG 图片</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Close Window</source>
        <translation>关闭窗口(&amp;C)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close this window (asks first if it has unsaved changes)</source>
        <translation>关闭此窗口（有未保存的更改时先询问）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close every window and end ResNet Studio</source>
        <translation>关闭所有窗口并退出 ResNet Studio</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Paste after the selection (inside a selected block)</source>
        <translation>粘贴到所选内容之后（选中块时粘贴到块内）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>D&amp;uplicate</source>
        <translation>创建副本(&amp;U)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zoom so the whole network fits</source>
        <translation>缩放以显示整个网络</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Put every panel back where it started</source>
        <translation>把所有面板放回原位</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Make &amp;Plain Twin</source>
        <translation>生成普通孪生网络(&amp;P)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open the same network without shortcuts in a new window</source>
        <translation>在新窗口中打开去掉捷径连接的同一网络</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wrap in &amp;Residual</source>
        <translation>包装为残差块(&amp;R)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wrap in Re&amp;peat</source>
        <translation>包装为重复(&amp;P)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wrap in &amp;Group</source>
        <translation>包装为层组(&amp;G)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Unwrap</source>
        <translation>解除包装(&amp;U)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Input Shape and Classes…</source>
        <translation>输入形状和类别数(&amp;I)…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Train…</source>
        <translation>训练(&amp;T)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Train this network (and its plain twin) in the background</source>
        <translation>在后台训练此网络（及其普通孪生网络）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Stop All Runs</source>
        <translation>停止所有运行(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop every training run</source>
        <translation>停止所有训练运行</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New &amp;Experiment…</source>
        <translation>新建实验(&amp;E)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run one of the paper&apos;s studies, or a grid of your own, as one action</source>
        <translation>一步运行论文中的一项研究，或你自己的参数网格</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Open Experiment…</source>
        <translation>打开实验(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show an experiment folder from elsewhere</source>
        <translation>显示其他位置的实验文件夹</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Design Layout</source>
        <translation>设计布局(&amp;D)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The canvas, palette and inspector, with the training views as tabs below</source>
        <translation>画布、组件面板和属性面板，训练视图作为下方的标签页</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Training Layout</source>
        <translation>训练布局(&amp;T)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The runs table over the plots, across the whole window</source>
        <translation>运行表在上、图表在下，占满整个窗口</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>About &amp;Residual Learning</source>
        <translation>关于残差学习(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The paper&apos;s ideas in a few paragraphs, with the networks and studies that show them</source>
        <translation>用几段话介绍论文的思想，并附上展示这些思想的网络和研究</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Welcome Page</source>
        <translation>欢迎页(&amp;W)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start from a preset, a project, scratch or the paper&apos;s comparison</source>
        <translation>从预设、项目、空白网络或论文中的对比实验开始</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>List the keys of every command</source>
        <translation>列出每个命令的按键</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;About ResNet Studio</source>
        <translation>关于 ResNet Studio(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/gui/app.py" line="+32"/>
        <source>Recover unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ResNet Studio closed without saving changes to {0}. Restore them?</source>
        <translation>ResNet Studio 关闭时未保存对 {0} 的更改。要恢复吗？</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Recovered work</source>
        <translation>恢复的工作</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/gui/main_window.py" line="-196"/>
        <source>Palette</source>
        <translation>组件面板</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Inspector</source>
        <translation>属性面板</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layers</source>
        <translation>层表</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layer Statistics</source>
        <translation>层统计</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>device: …</source>
        <translation>设备：…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where training will run</source>
        <translation>训练将在何处运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs training now (see the Runs tab)</source>
        <translation>正在训练的运行（见“运行”标签页）</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>{0} (from {1})</source>
        <translation>{0}（来自 {1}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}[*] — ResNet Studio</source>
        <translation>{0}[*] — ResNet Studio</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Write the network with freshly initialised weights as TorchScript, a checkpoint or ONNX</source>
        <translation>将网络连同新初始化的权重写为 TorchScript、检查点或 ONNX</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export Network with &amp;Trained Weights…</source>
        <translation>导出带已训练权重的网络(&amp;T)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the network with the weights opened from {0}, while they fit it</source>
        <translation>将网络连同从 {0} 打开的权重写出（只要权重仍与网络相符）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{0:,} parameters · {1} multiply-adds · depth {2}</source>
        <translation>{0:,} 个参数 · {1} 次乘加 · 深度 {2}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 problem</source>
        <translation>1 个问题</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} problems</source>
        <translation>{0} 个问题</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0:,} multiply-adds</source>
        <translation>{0:,} 次乘加</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>device: needs the full version</source>
        <translation>设备：需要完整版</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>device: {0}</source>
        <translation>设备：{0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>device: unavailable</source>
        <translation>设备：不可用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot tell where training would run: {0}</source>
        <translation>无法确定训练将在何处运行：{0}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot add</source>
        <translation>无法添加</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cannot paste</source>
        <translation>无法粘贴</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot duplicate</source>
        <translation>无法创建副本</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot wrap</source>
        <translation>无法包装</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot unwrap</source>
        <translation>无法解除包装</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>New from preset</source>
        <translation>从预设新建</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>trained on {0}</source>
        <translation>在 {0} 上训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>untrained weights</source>
        <translation>未训练的权重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>weights without a record of their input normalisation</source>
        <translation>权重未记录其输入归一化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opened {0} ({1}); exporting from this window keeps its weights</source>
        <translation>已打开 {0}（{1}）；从此窗口导出会保留其权重</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>exactly</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not exactly: see its report</source>
        <translation>不完全一致：见导入报告</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Imported {0} ({1}); exporting from this window keeps its weights</source>
        <translation>已导入 {0}（{1}）；从此窗口导出会保留其权重</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Save Project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot save project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The network has problems; fix them first:
{0}</source>
        <translation>网络有问题，请先修复：
{0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export Untrained Network (freshly initialised weights)</source>
        <translation>导出未训练的网络（新初始化的权重）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}-untrained</source>
        <translation>{0}-untrained</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export Network with Trained Weights</source>
        <translation>导出带已训练权重的网络</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exporting {0}…</source>
        <translation>正在导出 {0}…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>untrained: freshly initialised weights, no preprocessing</source>
        <translation>未训练：新初始化的权重，无预处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported {0} ({1})</source>
        <translation>已导出 {0}（{1}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exported {0} ({1}): the network no longer fits the weights opened from {2}</source>
        <translation>已导出 {0}（{1}）：网络已不再与从 {2} 打开的权重相符</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exported {0} with the trained weights from {1}</source>
        <translation>已导出 {0}，带有来自 {1} 的已训练权重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} does not record the input normalisation its weights were trained with; export from its run folder instead</source>
        <translation>{0} 没有记录其权重训练时所用的输入归一化；请改为从它的运行文件夹导出</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export Layers Table</source>
        <translation>导出层表</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+13"/>
        <source>Cannot write file</source>
        <translation>无法写入文件</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Export Canvas</source>
        <translation>导出画布</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images (*.png *.svg)</source>
        <translation>图像 (*.png *.svg)</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>{0} has not started yet</source>
        <translation>{0} 尚未开始</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cannot open run</source>
        <translation>无法打开运行</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Experiments are running</source>
        <translation>实验正在运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} still running. Stop and quit? Each running cell saves a checkpoint; Resume in the Experiments tab continues where it stopped.</source>
        <translation>{0}仍在运行。停止并退出吗？每个正在运行的单元都会保存检查点；在“实验”标签页中点击“继续”即可从停下处接着运行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Experiment {0} is</source>
        <translation>实验 {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Experiments {0} are</source>
        <translation>实验 {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+179"/>
        <source>Stopping experiments…</source>
        <translation>正在停止实验…</translation>
    </message>
    <message>
        <location line="-167"/>
        <source>Show the Training layout (Ctrl+2)</source>
        <translation>显示训练布局（Ctrl+2）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>1 run training</source>
        <translation>1 个运行正在训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} runs training</source>
        <translation>{0} 个运行正在训练</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · {0} left</source>
        <translation> · 剩余 {0}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Runs are training</source>
        <translation>运行正在训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} still training. Stop and quit? Each run saves a checkpoint you can resume from.</source>
        <translation>{0}仍在训练。停止并退出吗？每个运行都会保存检查点，之后可以从检查点继续。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 run is</source>
        <translation>1 个运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} runs are</source>
        <translation>{0} 个运行</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+116"/>
        <source>Stopping runs…</source>
        <translation>正在停止运行…</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>About ResNet Studio</source>
        <translation>关于 ResNet Studio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ResNet Studio {0}

Design, train and compare residual networks (He et al., 2015).</source>
        <translation>ResNet Studio {0}

设计、训练和比较残差网络（He 等，2015）。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Open {0}</source>
        <translation>打开 {0}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Build from scratch</source>
        <translation>从头构建</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Quit ResNet Studio</source>
        <translation>退出 ResNet Studio</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Save the changes to {0} before quitting?</source>
        <translation>退出前保存对 {0} 的更改吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 run is still training.</source>
        <translation>1 个运行仍在训练。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} runs are still training.</source>
        <translation>{0} 个运行仍在训练。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quitting stops each run with a checkpoint you can resume from.</source>
        <translation>退出会停止每个运行，并保存可用于继续的检查点。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Experiment {0} is running.</source>
        <translation>实验 {0} 正在运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Experiments {0} are running.</source>
        <translation>实验 {0} 正在运行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quitting stops each running cell with a checkpoint; Resume in the Experiments tab continues where it stopped.</source>
        <translation>退出会停止每个正在运行的单元并保存检查点；在“实验”标签页中点击“继续”即可从停下处接着运行。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quit anyway?</source>
        <translation>仍然退出吗？</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the changes to {0} before closing?</source>
        <translation>关闭前保存对 {0} 的更改吗？</translation>
    </message>
</context>
<context>
    <name>MistakesView</name>
    <message>
        <location filename="../../resnet_studio/gui/evaluation_views.py" line="+76"/>
        <source>No misclassified images</source>
        <translation>没有分类错误的图像</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>true {0}, predicted {1} ({2:.0%})</source>
        <translation>真实 {0}，预测 {1}（{2:.0%}）</translation>
    </message>
</context>
<context>
    <name>NetworkDocument</name>
    <message>
        <location filename="../../resnet_studio/gui/document.py" line="+202"/>
        <source>Change {0} of {1}</source>
        <translation>修改 {1} 的 {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add {0}</source>
        <translation>添加 {0}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wrap in {0}</source>
        <translation>包装为 {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unwrap</source>
        <translation>解除包装</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Delete 1 layer</source>
        <translation>删除 1 个层</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete {0} layers</source>
        <translation>删除 {0} 个层</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Move {0}</source>
        <translation>移动 {0}</translation>
    </message>
</context>
<context>
    <name>NetworkSettingsWidget</name>
    <message>
        <location filename="../../resnet_studio/gui/inspector.py" line="+31"/>
        <source>Input channels (3 for colour images)</source>
        <translation>输入通道数（彩色图像为 3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Input height in pixels</source>
        <translation>输入高度（像素）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Input width in pixels</source>
        <translation>输入宽度（像素）</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+45"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-42"/>
        <source>The network&apos;s name (also the default file name)</source>
        <translation>网络的名称（也是默认文件名）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Input (C×H×W)</source>
        <translation>输入 (C×H×W)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+39"/>
        <source>Classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Number of classes: the size of the last Linear layer by default</source>
        <translation>类别数：默认即最后一个 Linear 层的大小</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Input needs three numbers: C, H and W</source>
        <translation>输入需要三个数字：C、H 和 W</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Change input shape</source>
        <translation>修改输入形状</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Classes needs a number</source>
        <translation>类别数需要一个数字</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Change number of classes</source>
        <translation>修改类别数</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name needs at least one character</source>
        <translation>名称至少需要一个字符</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rename network</source>
        <translation>重命名网络</translation>
    </message>
</context>
<context>
    <name>NewExperimentDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/experiment_dialog.py" line="+75"/>
        <source>New Experiment</source>
        <translation>新建实验</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Start Experiment</source>
        <translation>开始实验</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Study</source>
        <translation>研究</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A study from the paper:</source>
        <translation>论文中的一项研究：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your own grid of CIFAR ResNets:</source>
        <translation>你自己的 CIFAR ResNet 参数网格：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Quick (a CPU, within the hour)</source>
        <translation>快速（CPU，一小时内）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full (the paper&apos;s size, for GPUs)</source>
        <translation>完整（论文的规模，适合 GPU）</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Depths:</source>
        <translation>深度：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>plain</source>
        <translation>普通</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>residual (ResNet)</source>
        <translation>残差（ResNet）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Networks:</source>
        <translation>网络：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Channels times this: ×1 is the paper&apos;s 16/32/64, ×0.5 is 8/16/32</source>
        <translation>通道数乘以此值：×1 即论文的 16/32/64，×0.5 即 8/16/32</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Width:</source>
        <translation>宽度：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Names the experiment&apos;s folder</source>
        <translation>实验文件夹的名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each network trains once per seed: seeds 0, 1, …</source>
        <translation>每个网络对每个随机种子各训练一次：种子 0、1、…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seeds:</source>
        <translation>随机种子数：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training length; the learning rate drops ÷10 at 50% and 75% of it</source>
        <translation>训练长度；学习率在其 50% 和 75% 处 ÷10</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Iterations:</source>
        <translation>迭代次数：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Running</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Auto (GPU if there is one)</source>
        <translation>自动（有 GPU 时用 GPU）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs trained at once; Auto: as many as the cores or the GPU&apos;s memory allow</source>
        <translation>同时训练的运行数；自动：按 CPU 核数或 GPU 显存所允许的数量</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>At once:</source>
        <translation>同时运行：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CIFAR-10 images (quick studies)</source>
        <translation>CIFAR-10 图像（快速研究）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Image folder…</source>
        <translation>图像文件夹…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CIFAR-10 images: CIFAR-10&apos;s first {0:,} training images when it is in the data root, else the {1}/ folder there</source>
        <translation>CIFAR-10 图像：数据根目录中有 CIFAR-10 时用其前 {0:,} 张训练图像，否则用其中的 {1}/ 文件夹</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Data set:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a folder with one subfolder per class</source>
        <translation>每个类别一个子文件夹的文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where data sets are kept</source>
        <translation>数据集的存放位置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data root:</source>
        <translation>数据根目录：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all images</source>
        <translation>全部图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train on the first N training images only</source>
        <translation>只用前 N 张训练图像训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subset:</source>
        <translation>子集：</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{0} runs.</source>
        <translation>{0} 个运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Quick: half-width networks on CIFAR-10 images.</source>
        <translation> 快速：在 CIFAR-10 图像上训练半宽网络。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Depths: tick at least one depth</source>
        <translation>深度：请至少勾选一个深度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Networks: tick plain, residual or both</source>
        <translation>网络：请勾选普通、残差或两者</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Folder: choose the folder that holds your images</source>
        <translation>文件夹：请选择存放图像的文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder: {0} is not a folder</source>
        <translation>文件夹：{0} 不是文件夹</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Data root: neither {0} nor {1}/train/ is in {2}; choose the folder that holds one of them</source>
        <translation>数据根目录：{2} 中既没有 {0} 也没有 {1}/train/；请选择存放其中之一的文件夹</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Data root: {0} is not in {1}; choose the folder that holds {2}, or download it from the Train dialog</source>
        <translation>数据根目录：{1} 中没有 {0}；请选择存放 {2} 的文件夹，或在训练对话框中下载</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>CIFAR-10&apos;s first {0:,} training images</source>
        <translation>CIFAR-10 的前 {0:,} 张训练图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The images in {0}</source>
        <translation>{0} 中的图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Built in: 10 classes of shapes, made in memory</source>
        <translation>内置：10 类图形，在内存中生成</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{0} runs ({1} networks × {2} seeds), {3:,} iterations each</source>
        <translation>{0} 个运行（{1} 个网络 × {2} 个随机种子），每个 {3:,} 次迭代</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, in a new folder under {0}.</source>
        <translation>，保存在 {0} 下的新文件夹中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The quick size finishes within an hour on a 2-core CPU.</source>
        <translation>快速规模在 2 核 CPU 上一小时内完成。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>runs at a time</source>
        <translation>个运行同时进行</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{0} at a time, {1} thread(s) each</source>
        <translation>同时 {0} 个，每个 {1} 个线程</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>Loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
</context>
<context>
    <name>PaletteWidget</name>
    <message>
        <location filename="../../resnet_studio/gui/palette.py" line="+93"/>
        <source>Search layers…</source>
        <translation>搜索层…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show only the entries whose name contains this text</source>
        <translation>只显示名称包含此文字的条目</translation>
    </message>
</context>
<context>
    <name>PresetDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/preset_dialog.py" line="+39"/>
        <source>New from Preset</source>
        <translation>从预设新建</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Default input</source>
        <translation>默认输入</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} networks</source>
        <translation>{0} 网络</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0}, {1} classes</source>
        <translation>{0}，{1} 个类别</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H</source>
        <translation>H</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>W</source>
        <translation>W</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Input shape:</source>
        <translation>输入形状：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classes:</source>
        <translation>类别数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel width:</source>
        <translation>通道宽度：</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>{0} channels</source>
        <translation>{0} 个通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CIFAR networks only</source>
        <translation>仅限 CIFAR 网络</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose a network.</source>
        <translation>请选择一个网络。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{0}: {1} weighted layers · {2:,} parameters · {3:,} multiply-adds</source>
        <translation>{0}：{1} 个带权重的层 · {2:,} 个参数 · {3:,} 次乘加</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Problem at this input: {0}</source>
        <translation>此输入下的问题：{0}</translation>
    </message>
</context>
<context>
    <name>ProgressDelegate</name>
    <message>
        <location filename="../../resnet_studio/gui/runs_panel.py" line="+153"/>
        <source> · {0} left</source>
        <translation> · 剩余 {0}</translation>
    </message>
</context>
<context>
    <name>RunNotices</name>
    <message>
        <location filename="../../resnet_studio/gui/run_notices.py" line="+31"/>
        <source>{0} finished: validation error {1}</source>
        <translation>{0} 已完成：验证误差 {1}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, test error {0}</source>
        <translation>，测试误差 {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} stopped at epoch {1}; Resume continues it</source>
        <translation>{0} 停在第 {1} 轮；点击“继续”可接着训练</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} {1}: {2}</source>
        <translation>{0} {1}：{2}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+10"/>
        <source>ResNet Studio</source>
        <translation>ResNet Studio</translation>
    </message>
</context>
<context>
    <name>RunsModel</name>
    <message>
        <location filename="../../resnet_studio/gui/runs_model.py" line="+59"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train err</source>
        <translation>训练误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Val err</source>
        <translation>验证误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test err</source>
        <translation>测试误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Best val</source>
        <translation>最佳验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images/s</source>
        <translation>图像/秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Epochs done of all, and the time left at the speed so far</source>
        <translation>已完成的轮数/总轮数，以及按目前速度估计的剩余时间</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Parameters of the network trained</source>
        <translation>所训练网络的参数数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training error of the last epoch (of the last logged steps before it)</source>
        <translation>最后一轮的训练误差（取其前最后记录的若干步）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Validation error of the last epoch</source>
        <translation>最后一轮的验证误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The final model&apos;s error on the test split, once it finished</source>
        <translation>完成后最终模型在测试集上的误差</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lowest validation error of any epoch</source>
        <translation>各轮中最低的验证误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training time of the epochs completed</source>
        <translation>已完成各轮的训练时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training speed</source>
        <translation>训练速度</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>正在运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopping</source>
        <translation>正在停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <location line="+403"/>
        <source>on {0}</source>
        <translation>在 {0} 上</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Started from the weights of {0}</source>
        <translation>从 {0} 的权重开始训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(a new classifier: {0})</source>
        <translation>（新的分类器：{0}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>({0} adapted from {1} input channels to {2})</source>
        <translation>（{0} 从 {1} 个输入通道适配为 {2} 个）</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../../resnet_studio/gui/runs_panel.py" line="+38"/>
        <source>Train…</source>
        <translation>训练…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train the network being designed (F5)</source>
        <translation>训练正在设计的网络（F5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after the current batch; it can be resumed</source>
        <translation>在当前批次之后停止；之后可以继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Continue from the last checkpoint</source>
        <translation>从最近的检查点继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluate on held-out images: errors, confusion matrix, mistakes</source>
        <translation>在留出的图像上评估：误差、混淆矩阵、错例</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export Model…</source>
        <translation>导出模型…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the trained network as a .pt or .onnx file</source>
        <translation>把已训练的网络保存为 .pt 或 .onnx 文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the runs folder again (runs started from the terminal)</source>
        <translation>重新读取运行文件夹（包括从终端启动的运行）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Fit Columns to Window</source>
        <translation>列宽适应窗口</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>{0} {1}: {2}</source>
        <translation>{0} {1}：{2}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cannot resume</source>
        <translation>无法继续</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {0} and its folder with the trained model, for good?</source>
        <translation>永久删除 {0} 及其保存已训练模型的文件夹吗？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete {0} runs ({1}) and their folders, for good?</source>
        <translation>永久删除 {0} 个运行（{1}）及其文件夹吗？</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cannot delete</source>
        <translation>无法删除</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export Trained Model</source>
        <translation>导出已训练的模型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/shortcuts_dialog.py" line="+28"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>TrainDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/train_dialog.py" line="+49"/>
        <source>Train {0}</source>
        <translation>训练 {0}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Start Training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Image folder…</source>
        <translation>图像文件夹…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Synthetic shapes need no download; an image folder has a subfolder per class</source>
        <translation>合成图形无需下载；图像文件夹中每个类别一个子文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data set:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a folder with one subfolder per class</source>
        <translation>每个类别一个子文件夹的文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where torchvision data sets are kept</source>
        <translation>torchvision 数据集的存放位置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fetch the data set with torchvision (internet)</source>
        <translation>用 torchvision 获取数据集（需联网）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data root:</source>
        <translation>数据根目录：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Skip unreadable images</source>
        <translation>跳过无法读取的图像</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Leave out image files that cannot be read (empty, cut short or damaged) instead of stopping at the first one</source>
        <translation>略过无法读取的图像文件（空的、不完整的或损坏的），而不是在遇到第一个时就停止</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>all images</source>
        <translation>全部图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train on the first N training images only (quick looks)</source>
        <translation>只用前 N 张训练图像训练（快速查看）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subset:</source>
        <translation>子集：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit the network&apos;s input and classes to the data</source>
        <translation>使网络的输入和类别数适配数据</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Change the input shape and the classifier to the data set&apos;s; layers stay</source>
        <translation>把输入形状和分类器改为数据集的；各层保持不变</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Auto (GPU if there is one)</source>
        <translation>自动（有 GPU 时用 GPU）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start from the weights of {0}</source>
        <translation>从 {0} 的权重开始</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Train from the weights opened from {0} instead of a fresh initialisation (fine-tuning); the plain twin always starts from scratch</source>
        <translation>从打开 {0} 时得到的权重开始训练，而不是新初始化的权重（微调）；普通孪生网络总是从头训练</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Train plain twin too</source>
        <translation>同时训练普通孪生网络</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Also train the same network without shortcuts, with the same seed, data order and recipe: the paper&apos;s plain-vs-residual comparison</source>
        <translation>同时以相同的随机种子、数据顺序和训练方案训练去掉捷径的同一网络：即论文中普通网络与残差网络的对比</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This network has no shortcuts: its plain twin is itself</source>
        <translation>此网络没有捷径：它的普通孪生网络就是它自己</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Record layer statistics (Fig. 7)</source>
        <translation>记录层统计（图 7）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Per-layer gradient norms and response std at the end of each epoch</source>
        <translation>每轮结束时各层的梯度范数和响应标准差</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Recipe (the paper&apos;s CIFAR defaults)</source>
        <translation>训练方案（论文的 CIFAR 默认值）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Epochs:</source>
        <translation>轮数：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Optimizer:</source>
        <translation>优化器：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nesterov</source>
        <translation>Nesterov</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Momentum:</source>
        <translation>动量：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weight decay:</source>
        <translation>权重衰减：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Step: ÷10 at 50% and 75%</source>
        <translation>阶梯：在 50% 和 75% 处 ÷10</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Schedule:</source>
        <translation>学习率调度：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Iterations at lr 0.01 first (the paper warms ResNet-110 up for 400)</source>
        <translation>先以学习率 0.01 训练的迭代次数（论文中 ResNet-110 预热 400 次）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warm-up iterations:</source>
        <translation>预热迭代次数：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label smoothing:</source>
        <translation>标签平滑：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper Defaults</source>
        <translation>论文默认值</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>The network has problems (see the layers table): {0}</source>
        <translation>网络有问题（见层表）：{0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name: give the run a name</source>
        <translation>名称：请为运行命名</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder: choose the folder that holds your images</source>
        <translation>文件夹：请选择存放图像的文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder: {0} is not a folder</source>
        <translation>文件夹：{0} 不是文件夹</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Folder: 1 image cannot be read, {1} ({2}): remove it or tick “Skip unreadable images”</source>
        <translation>文件夹：有 1 张图像无法读取，{1}（{2}）：请删除它，或勾选“跳过无法读取的图像”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder: {0} images cannot be read, the first {1} ({2}): remove them or tick “Skip unreadable images”</source>
        <translation>文件夹：有 {0} 张图像无法读取，第一张为 {1}（{2}）：请删除它们，或勾选“跳过无法读取的图像”</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The weights of {0} do not fit the network fitted to {1}: {2}; untick “Start from the weights…” to train from scratch</source>
        <translation>{0} 的权重与适配 {1} 后的网络不符：{2}；取消勾选“从……的权重开始”即可从头训练</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>: tick “Fit the network…” or change the input shape and classes</source>
        <translation>：请勾选“使网络……适配数据”，或修改输入形状和类别数</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Checking the images in {0}…</source>
        <translation>正在检查 {0} 中的图像…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>all {0} images</source>
        <translation>全部 {0} 张图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the first {0} of {1} images (checked for {2:g} s)</source>
        <translation>{1} 张图像中的前 {0} 张（检查用时 {2:g} 秒）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checked {0}: every one can be read</source>
        <translation>已检查{0}：全部可以读取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checked {0}: {1} cannot be read, the first {2} ({3})</source>
        <translation>已检查{0}：有 {1} 张无法读取，第一张为 {2}（{3}）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; they will be left out</source>
        <translation>；它们将被略过</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Trains {0} in the background; the window stays usable.</source>
        <translation>在后台训练 {0}；窗口仍可正常使用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> and </source>
        <translation> 和 </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Numbered: the runs table has runs of that name already.</source>
        <translation>已加编号：运行表中已有同名的运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} starts from the weights of {1}.</source>
        <translation>{0} 从 {1} 的权重开始。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The weights are for {0}-channel images: the filters of {1} are summed over the colours for 1 channel.</source>
        <translation>这些权重是 {0} 通道图像的：{1} 的卷积核在各颜色通道上求和，用于 1 个通道。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The weights are for {0}-channel images: the filters of {1} are spread evenly over the colours for {2} channels.</source>
        <translation>这些权重是 {0} 通道图像的：{1} 的卷积核平均分配到各颜色通道，用于 {2} 个通道。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The weights are for {0} classes: its classifier ({1}) starts fresh for {2}, the other layers start from the weights.</source>
        <translation>这些权重是 {0} 个类别的：它的分类器（{1}）为 {2} 个类别重新初始化，其余各层从这些权重开始。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Its plain twin starts from scratch.</source>
        <translation>其普通孪生网络从头训练。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The network is fitted to {0}: {1} images, {2} classes.</source>
        <translation>网络已适配 {0}：{1} 张图像，{2} 个类别。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Class subfolders; with train/, val/ and test/ inside if you have them (test/ is kept for the final evaluation)</source>
        <translation>按类别分的子文件夹；如有 train/、val/ 和 test/ 也放在其中（test/ 留作最终评估）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Built in: 10 classes of shapes on noisy backgrounds, made in memory</source>
        <translation>内置：噪声背景上的 10 类图形，在内存中生成</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Found in {0}</source>
        <translation>在 {0} 中找到</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not in this data root: press Download, or choose the folder that holds {0}</source>
        <translation>不在此数据根目录中：请点击“下载”，或选择存放 {0} 的文件夹</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Downloading {0} into {1}…</source>
        <translation>正在把 {0} 下载到 {1}…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <location filename="../../resnet_studio/gui/training.py" line="+163"/>
        <source>{0} is training; stop it first</source>
        <translation>{0} 正在训练；请先停止它</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Exported {0} (weights from {1})</source>
        <translation>已导出 {0}（权重来自 {1}）</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../resnet_studio/gui/welcome.py" line="+60"/>
        <source>Welcome to ResNet Studio</source>
        <translation>欢迎使用 ResNet Studio</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Build plain and residual networks, train them side by side and see why residual learning lets deep networks train.</source>
        <translation>构建普通网络和残差网络，并排训练它们，看看残差学习为什么能让深层网络训练得动。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Start from a paper network</source>
        <translation>从论文中的网络开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ResNet-18 to 152, CIFAR ResNet-20 to 1202, their plain twins, VGG-19</source>
        <translation>ResNet-18 至 152、CIFAR ResNet-20 至 1202、它们的普通孪生网络、VGG-19</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A network saved as a project, or a trained .pt model</source>
        <translation>保存为项目的网络，或已训练的 .pt 模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import a PyTorch model…</source>
        <translation>导入 PyTorch 模型…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A torchvision model, a class in your own .py file, or a model file</source>
        <translation>torchvision 的模型、你自己 .py 文件中的类，或模型文件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reopen {0}</source>
        <translation>重新打开 {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Build from scratch</source>
        <translation>从头构建</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An empty network: drag layers in from the palette</source>
        <translation>一个空网络：从组件面板拖入层</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run the paper&apos;s comparison</source>
        <translation>运行论文中的对比实验</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plain and residual networks at 20 to 56 layers on CIFAR-10: deeper plain nets train worse, residual ones do not</source>
        <translation>在 CIFAR-10 上比较 20 至 56 层的普通网络和残差网络：普通网络越深训练得越差，残差网络则不会</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show this page at start-up</source>
        <translation>启动时显示此页</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At start-up, reopen the last project instead</source>
        <translation>启动时改为重新打开上次的项目</translation>
    </message>
</context>
<context>
    <name>_FileField</name>
    <message>
        <location filename="../../resnet_studio/gui/import_dialog.py" line="-339"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
</context>
<context>
    <name>_OptionalNumber</name>
    <message>
        <location filename="../../resnet_studio/gui/inspector.py" line="-604"/>
        <source>= classes</source>
        <translation>= 类别数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the network&apos;s number of classes</source>
        <translation>使用网络的类别数</translation>
    </message>
</context>
<context>
    <name>catalogue</name>
    <message>
        <location filename="../../resnet_studio/arch/catalogue.py" line="+34"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Containers</source>
        <translation>容器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocks</source>
        <translation>块</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Conv 3×3</source>
        <translation>卷积 3×3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3×3, padding 1: the workhorse of every ResNet block.</source>
        <translation>3×3，填充 1：每个 ResNet 块的主力。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Conv 1×1</source>
        <translation>卷积 1×1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1×1: changes the number of channels (bottleneck reduce and expand).</source>
        <translation>1×1：改变通道数（瓶颈结构中的降维与升维）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Conv 7×7 /2</source>
        <translation>卷积 7×7 /2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>7×7 with stride 2: the ImageNet ResNets&apos; first layer.</source>
        <translation>7×7，步长 2：ImageNet ResNet 的第一层。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>BatchNorm</source>
        <translation>BatchNorm</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>LeakyReLU</source>
        <translation>LeakyReLU</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ReLU6</source>
        <translation>ReLU6</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>SiLU</source>
        <translation>SiLU</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>GELU</source>
        <translation>GELU</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Max pool</source>
        <translation>最大池化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3×3 with stride 2: after the ImageNet stem.</source>
        <translation>3×3，步长 2：位于 ImageNet 网络的起始层之后。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Average pool</source>
        <translation>平均池化</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Global average pool</source>
        <translation>全局平均池化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ends every ResNet.</source>
        <translation>每个 ResNet 都以它结尾。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Adaptive average pool</source>
        <translation>自适应平均池化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>7×7 whatever the input size: before VGG&apos;s classifier.</source>
        <translation>无论输入大小都输出 7×7：VGG 分类器之前的一层。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Flatten</source>
        <translation>Flatten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VGG&apos;s classifier uses it.</source>
        <translation>VGG 的分类器使用它。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Identity</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Residual</source>
        <translation>残差块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drop layers inside it; ReLU follows the addition. Shortcut options: identity (x itself; shapes must match), zero-pad (the paper&apos;s option A: subsample by the stride and fill new channels with zeros; no parameters), projection (option B: 1×1 conv with stride + BatchNorm), auto (identity when shapes match, projection otherwise), none (a plain block).</source>
        <translation>把层拖放到其中；相加之后接 ReLU。捷径选项：恒等（x 本身；形状必须一致）、补零（论文的选项 A：按步长下采样，新增通道补零；无参数）、投影（选项 B：带步长的 1×1 卷积 + BatchNorm）、自动（形状一致时用恒等，否则用投影）、无（普通块）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ResNet-56 becomes ResNet-110 by typing 18 repetitions instead of 9.</source>
        <translation>把重复次数从 9 改为 18，ResNet-56 就变成了 ResNet-110。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Group</source>
        <translation>层组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Names a run of layers, as nn.Sequential does: imported networks keep their module names (features.0, classifier.3) in it.</source>
        <translation>像 nn.Sequential 一样为一串层命名：导入的网络在其中保留各模块的名字（features.0、classifier.3）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Basic block</source>
        <translation>基本块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two 3×3 convs with BatchNorm and ReLU plus a shortcut (Fig. 2 of the paper): the block of ResNet-18/34 and the CIFAR ResNets.</source>
        <translation>两个带 BatchNorm 和 ReLU 的 3×3 卷积加一条捷径（论文图 2）：ResNet-18/34 和 CIFAR ResNet 使用的块。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Bottleneck</source>
        <translation>瓶颈块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1×1 reduce, 3×3, 1×1 expand ×4, plus a shortcut (Fig. 5 right): the block of ResNet-50/101/152. Far fewer parameters than a basic block at the same width.</source>
        <translation>1×1 降维、3×3、1×1 升维 ×4，再加一条捷径（论文图 5 右）：ResNet-50/101/152 使用的块。同样宽度下参数远少于基本块。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Plain block</source>
        <translation>普通块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A basic block without its shortcut: the paper&apos;s plain baseline.</source>
        <translation>去掉捷径的基本块：论文中的普通网络基线。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Plain bottleneck</source>
        <translation>普通瓶颈块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A bottleneck without its shortcut.</source>
        <translation>去掉捷径的瓶颈块。</translation>
    </message>
</context>
<context>
    <name>datasets</name>
    <message>
        <location filename="../../resnet_studio/training/dataset_info.py" line="+48"/>
        <source>Synthetic shapes (built in)</source>
        <translation>合成图形（内置）</translation>
    </message>
</context>
<context>
    <name>experiments</name>
    <message>
        <location filename="../../resnet_studio/training/experiment.py" line="+441"/>
        <source>plain and residual nets at increasing depth (Fig. 6, Table 6): deeper plain nets train worse, deeper residual nets do not</source>
        <translation>不同深度的普通网络与残差网络（图 6、表 6）：普通网络越深训练得越差，残差网络则不会</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>option A (zero-padded identity) against option B (projection where dimensions grow) at the same depth (Table 3)</source>
        <translation>同一深度下比较选项 A（补零的恒等捷径）与选项 B（维度增加处用投影）（表 3）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>basic blocks (ResNet-34) against bottleneck blocks (ResNet-50) at about the same cost (3.6 and 3.8 GFLOPs on ImageNet; Table 1)</source>
        <translation>计算量相近时比较基本块（ResNet-34）与瓶颈块（ResNet-50）（ImageNet 上 3.6 与 3.8 GFLOPs；表 1）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>plain vs residual at depths 20–56 (110 full size)</source>
        <translation>深度 20–56 的普通网络对残差网络（完整规模含 110）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>shortcut option A vs B at the same depth</source>
        <translation>同一深度下捷径选项 A 对 B</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>basic (ResNet-34) vs bottleneck (ResNet-50) blocks</source>
        <translation>基本块（ResNet-34）对瓶颈块（ResNet-50）</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <location filename="../../resnet_studio/gui/inspector.py" line="-54"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output channels</source>
        <translation>输出通道数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kernel size</source>
        <translation>卷积核大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stride</source>
        <translation>步长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dilation</source>
        <translation>膨胀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Groups</source>
        <translation>分组数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negative slope</source>
        <translation>负斜率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approximation</source>
        <translation>近似</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ceil mode</source>
        <translation>向上取整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Count padding</source>
        <translation>计入填充</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output size</source>
        <translation>输出大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output features</source>
        <translation>输出特征数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drop probability</source>
        <translation>丢弃概率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shortcut</source>
        <translation>捷径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ReLU after add</source>
        <translation>相加后接 ReLU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repetitions</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stride in first only</source>
        <translation>仅首次重复带步长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero channels</source>
        <translation>补零通道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pre-activation</source>
        <translation>预激活</translation>
    </message>
</context>
<context>
    <name>figures</name>
    <message>
        <location filename="../../resnet_studio/figures/comparison.py" line="+30"/>
        <source>dashed: training, solid: validation</source>
        <translation>虚线：训练，实线：验证</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../resnet_studio/gui/experiment_figures.py" line="-76"/>
        <source>plain</source>
        <translation>普通网络</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ResNet</source>
        <translation>ResNet</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>iteration</source>
        <translation>迭代</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../resnet_studio/figures/experiment.py" line="+72"/>
        <source>error (%)</source>
        <translation>误差 (%)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/figures/experiment.py" line="-46"/>
        <source>solid: training error, dashed: test error; bars: ± std over seeds</source>
        <translation>实线：训练误差，虚线：测试误差；误差棒：各随机种子间的 ± 标准差</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>error against depth</source>
        <translation>误差与深度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>depth (layers)</source>
        <translation>深度（层）</translation>
    </message>
</context>
<context>
    <name>fixes</name>
    <message>
        <location filename="../../resnet_studio/arch/fixes.py" line="+171"/>
        <source>Turn pre-activation off</source>
        <translation>关闭预激活</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the shortcut takes x itself, and the body needs no BatchNorm and ReLU first</source>
        <translation>捷径直接取 x，主体也不必以 BatchNorm 和 ReLU 开头</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Zero-padded shortcut (option A)</source>
        <translation>补零捷径（选项 A）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>x subsampled by the stride, the new channels filled with zeros; no parameters</source>
        <translation>x 按步长下采样，新增通道补零；无参数</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Projection shortcut (option B)</source>
        <translation>投影捷径（选项 B）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a 1×1 conv with stride and BatchNorm where the shapes change, x itself where they match (the auto shortcut)</source>
        <translation>形状改变处用带步长的 1×1 卷积和 BatchNorm，形状一致处用 x 本身（“自动”捷径）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Set {0} to {1} channels</source>
        <translation>把 {0} 设为 {1} 个通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} gives as many output channels as x has, so x fits the addition</source>
        <translation>{0} 输出与 x 相同的通道数，x 便能参与相加</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Insert Flatten before {0}</source>
        <translation>在 {0} 前插入 Flatten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>C×H×W becomes C·H·W features for {0}</source>
        <translation>C×H×W 变成 C·H·W 个特征，供 {0} 使用</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Insert GlobalAvgPool + Flatten before {0}</source>
        <translation>在 {0} 前插入 GlobalAvgPool + Flatten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the mean of each channel, then its C features for {0}, as a ResNet ends</source>
        <translation>先取每个通道的均值，再把这 C 个特征交给 {0}，与 ResNet 的结尾一样</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Append GlobalAvgPool, Flatten, Linear</source>
        <translation>追加 GlobalAvgPool、Flatten、Linear</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the ResNet head: one score per class</source>
        <translation>ResNet 的头部：每个类别一个分数</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Give {0} one output per class</source>
        <translation>让 {0} 每个类别一个输出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} gets {1} outputs, as many as the network has classes</source>
        <translation>{0} 将有 {1} 个输出，与网络的类别数相同</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Append a Linear layer</source>
        <translation>追加一个 Linear 层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one output per class</source>
        <translation>每个类别一个输出</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/gui/quick_fixes.py" line="+41"/>
        <source>Cannot fix</source>
        <translation>无法修复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fix: {0}</source>
        <translation>修复：{0}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Fix…</source>
        <translation>修复…</translation>
    </message>
</context>
<context>
    <name>kinds</name>
    <message>
        <location filename="../../resnet_studio/arch/kinds.py" line="+15"/>
        <source>Plain block</source>
        <translation>普通块</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>2-D convolution; its input channels come from the layer before.</source>
        <translation>二维卷积；输入通道数取自前一层。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Normalises each channel over the batch, then scales and shifts it (2 learned values per channel).</source>
        <translation>批归一化：在批次上对每个通道归一化，再缩放和平移（每个通道 2 个可学习的值）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>max(0, x).</source>
        <translation>max(0, x)。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>x for x &gt; 0, slope · x otherwise.</source>
        <translation>x &gt; 0 时为 x，否则为 斜率 · x。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>min(max(0, x), 6): ReLU capped at 6, as in MobileNet.</source>
        <translation>min(max(0, x), 6)：上限为 6 的 ReLU，MobileNet 用它。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>x · sigmoid(x), also called swish: a smooth ReLU, as in EfficientNet.</source>
        <translation>x · sigmoid(x)，又称 swish：平滑的 ReLU，EfficientNet 用它。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>x · Φ(x), Φ the standard normal distribution: a smooth ReLU, as in Transformers. The tanh approximation is faster and close.</source>
        <translation>x · Φ(x)，Φ 为标准正态分布函数：平滑的 ReLU，Transformer 用它。tanh 近似更快，结果相近。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Maximum over each window. In ceil mode the output size rounds up, so a last window that overhangs the input still counts.</source>
        <translation>取每个窗口内的最大值。向上取整模式下输出大小向上取整，超出输入边缘的最后一个窗口也计入。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mean over each window; padding counts as zeros unless you turn that off. In ceil mode the output size rounds up.</source>
        <translation>取每个窗口内的均值；填充默认按零计入，可以关闭。向上取整模式下输出大小向上取整。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mean over the whole feature map: C×H×W → C×1×1.</source>
        <translation>对整个特征图取均值：C×H×W → C×1×1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean over an s×s grid of regions: C×H×W → C×s×s whatever the input size (7×7 before VGG&apos;s classifier). Size 1 is a global average pool.</source>
        <translation>在 s×s 网格的各个区域上取均值：无论输入大小，C×H×W → C×s×s（VGG 分类器之前为 7×7）。大小为 1 即全局平均池化。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>C×H×W → C·H·W features, for Linear.</source>
        <translation>C×H×W → C·H·W 个特征，供 Linear 使用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fully connected layer; by default one output per class of the network.</source>
        <translation>全连接层；默认网络的每个类别一个输出。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zeroes each value with probability p while training.</source>
        <translation>训练时以概率 p 把每个值置零。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passes its input through unchanged.</source>
        <translation>原样传递输入。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H(x) = F(x) + shortcut(x): the layers inside are F; the shortcut carries x around them and the two are added.</source>
        <translation>H(x) = F(x) + 捷径(x)：内部的层即 F；捷径连接把 x 绕过这些层送过去，两者相加。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A block without a shortcut: its layers run one after another and nothing is added, as in the paper&apos;s plain networks. Choose a shortcut to make it residual.</source>
        <translation>没有捷径的块：其中的层依次运行，不做相加，与论文中的普通网络相同。选择一种捷径即可使它成为残差块。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The layers inside, N times in a row: a ResNet stage. Strides act in the first repetition only.</source>
        <translation>内部的层连续重复 N 次：即 ResNet 的一个阶段。步长只在第一次重复中起作用。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The layers inside, one after another, under one name (torch&apos;s nn.Sequential): a group named features holding 0, 1 … gives the paths features.0, features.1.</source>
        <translation>内部的层依次执行，归于一个名字之下（即 PyTorch 的 nn.Sequential）：层组中名为 0、1 … 的层得到路径 features.0、features.1。</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../resnet_studio/arch/edit.py" line="+65"/>
        <source>no layer with id {id} in the network</source>
        <translation>网络中没有 id 为 {id} 的层</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{name} is a {kind}, not a container</source>
        <translation>{name} 是 {kind}，不是容器</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>cannot move {name} into itself</source>
        <translation>不能把 {name} 移入它自身</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>select the layers to wrap first</source>
        <translation>请先选中要包装的层</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>only neighbouring layers in the same block can be wrapped together</source>
        <translation>只有同一块中相邻的层才能一起包装</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>cannot wrap in {kind}; use Residual, Repeat or Group</source>
        <translation>不能包装进 {kind}；请用 Residual、Repeat 或 Group</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{name} is not a Residual, Repeat or Group block</source>
        <translation>{name} 不是 Residual、Repeat 或 Group 块</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/arch/inference.py" line="+200"/>
        <source>output {shape} has {values:,} values per image, too many to hold in memory; use fewer channels or a smaller input</source>
        <translation>输出 {shape} 每张图像有 {values:,} 个值，内存放不下；请减少通道数或使用更小的输入</translation>
    </message>
    <message>
        <location line="+202"/>
        <source>residual add needs feature maps, but the body gives {body} from {input}; keep Flatten and Linear outside the block</source>
        <translation>残差相加需要特征图，但主体由 {input} 得到 {body}；请把 Flatten 和 Linear 放在块外</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>residual add: body gives {body}, shortcut gives {shortcut} — use a projection or zero-padded shortcut</source>
        <translation>残差相加：主体得到 {body}，捷径得到 {shortcut} —— 请使用投影捷径或补零捷径</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>zero-padded shortcut cannot subsample {input} to {body} with one stride; check the body&apos;s strides and padding</source>
        <translation>补零捷径无法用同一个步长把 {input} 下采样为 {body}；请检查主体的步长和填充</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>zero-padded shortcut cannot reduce channels ({input} → {body}); use a projection</source>
        <translation>补零捷径不能减少通道数（{input} → {body}）；请使用投影捷径</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>projection shortcut cannot map {input} to {body} with a 1×1 strided conv; check the body&apos;s strides and padding</source>
        <translation>投影捷径无法用带步长的 1×1 卷积把 {input} 映射为 {body}；请检查主体的步长和填充</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>a pre-activation block&apos;s body must start with BatchNorm2d then ReLU, but it is empty</source>
        <translation>预激活块的主体必须以 BatchNorm2d 再接 ReLU 开头，但主体是空的</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a pre-activation block&apos;s body must start with BatchNorm2d then ReLU, but it starts with {start}; add them first or turn pre-activation off</source>
        <translation>预激活块的主体必须以 BatchNorm2d 再接 ReLU 开头，但它以 {start} 开头；请先加上这两层，或关闭预激活</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>{kind} needs a C×H×W feature map, but gets {shape} flat features; move it before Flatten</source>
        <translation>{kind} 需要 C×H×W 特征图，但得到的是 {shape} 个展平特征；请把它移到 Flatten 之前</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>kernel {kernel} (span {span}) does not fit the input {input} with padding {padding}; use a smaller kernel, more padding or fewer downsampling layers before it</source>
        <translation>卷积核 {kernel}（跨度 {span}）在填充 {padding} 时放不进输入 {input}；请使用更小的卷积核、更多填充，或在它之前减少下采样层</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>groups={groups} must divide both input channels ({input}) and output channels ({output})</source>
        <translation>groups={groups} 必须同时整除输入通道数（{input}）和输出通道数（{output}）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>window {window} does not fit the input {input}; use a smaller window or fewer downsampling layers before it</source>
        <translation>窗口 {window} 放不进输入 {input}；请使用更小的窗口，或在它之前减少下采样层</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Linear needs flat features, but gets {shape}; add a Flatten before it</source>
        <translation>Linear 需要展平的特征，但得到 {shape}；请在它之前加一个 Flatten</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Linear needs flat features, but gets {shape}; add GlobalAvgPool and Flatten (or Flatten) before it</source>
        <translation>Linear 需要展平的特征，但得到 {shape}；请在它之前加 GlobalAvgPool 和 Flatten（或只加 Flatten）</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>input {shape} has {values:,} values per image, too many to hold in memory; use a smaller input</source>
        <translation>输入 {shape} 每张图像有 {values:,} 个值，内存放不下；请使用更小的输入</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>too large to work out: more than {limit:,} layers whose input shapes differ; use fewer or smaller Repeats</source>
        <translation>太大，无法推算：输入形状各不相同的层超过 {limit:,} 个；请使用更少或更小的 Repeat</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the network ends with {shape} but must end with {classes} class scores; finish with GlobalAvgPool, Flatten and Linear</source>
        <translation>网络最后输出 {shape}，但必须输出 {classes} 个类别得分；请以 GlobalAvgPool、Flatten 和 Linear 结尾</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{params:,} parameters is more than the {limit:,} this program builds; use fewer channels or layers</source>
        <translation>{params:,} 个参数超过了本程序能构建的 {limit:,} 个；请减少通道数或层数</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/arch/spec.py" line="+109"/>
        <source>{name} is not a valid name: use 1-64 letters, digits or underscores</source>
        <translation>{name} 不是有效的名称：请使用 1-64 个字母、数字或下划线</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{name} starts with an underscore, which PyTorch keeps for its own attributes</source>
        <translation>{name} 以下划线开头，PyTorch 将其留给自身的属性</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} is reserved by PyTorch; choose another name</source>
        <translation>{name} 是 PyTorch 的保留名；请换一个名称</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} is a Python keyword or TorchScript name; choose another name</source>
        <translation>{name} 是 Python 关键字或 TorchScript 名称；请换一个名称</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>must be a text of 1 to {max} characters</source>
        <translation>必须是 1 到 {max} 个字符的文本</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{id} has spaces or control characters</source>
        <translation>{id} 含有空格或控制字符</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>expected a whole number, got {value}</source>
        <translation>应为整数，得到 {value}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be from {min:,} to {max:,}, got {value:,}</source>
        <translation>必须在 {min:,} 到 {max:,} 之间，得到 {value:,}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>expected a number, got {value}</source>
        <translation>应为数字，得到 {value}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be from {min} to {max}, got {value}</source>
        <translation>必须在 {min} 到 {max} 之间，得到 {value}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>expected true or false, got {value}</source>
        <translation>应为 true 或 false，得到 {value}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>must be one of {options}; got {value}</source>
        <translation>必须是 {options} 之一；得到 {value}</translation>
    </message>
    <message>
        <location line="+128"/>
        <source>must be at most half the kernel ({half})</source>
        <translation>最多为卷积核大小的一半（{half}）</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>must be a tuple of nodes</source>
        <translation>必须是由节点组成的元组</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>expected a node, got {type}</source>
        <translation>应为节点，得到 {type}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} is used twice in the same block</source>
        <translation>{name} 在同一块中用了两次</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} is reserved for the shortcut</source>
        <translation>{name} 是留给捷径的名称</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>must be a non-empty text</source>
        <translation>不能为空</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>must be at most {max} characters, got {length:,}</source>
        <translation>最多 {max} 个字符，得到 {length:,} 个</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{name} holds a line break, control character or lone surrogate</source>
        <translation>{name} 含有换行符、控制字符或孤立代理字符</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>expected three whole numbers C, H, W; got {value}</source>
        <translation>应为三个整数 C、H、W；得到 {value}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>channels must be from 1 to {max:,}, got {value:,}</source>
        <translation>通道数必须在 1 到 {max:,} 之间，得到 {value:,}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>height and width must be from 1 to {max:,}, got {size}</source>
        <translation>高和宽必须在 1 到 {max:,} 之间，得到 {size}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>node id {id} is used twice; ids must be unique</source>
        <translation>节点 id {id} 用了两次；id 必须唯一</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{count:,} layers and blocks, more than the {max:,} a network may hold; use a Repeat for layers that repeat</source>
        <translation>{count:,} 个层和块，超过一个网络最多能容纳的 {max:,} 个；重复的层请用 Repeat</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>nested too deeply: a layer&apos;s path would have {parts:,} parts (names joined by dots), more than the {max} allowed</source>
        <translation>嵌套太深：某层的路径将有 {parts:,} 段（以点连接的名称），超过允许的 {max} 段</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/arch/project.py" line="+126"/>
        <source>{what} is new in project format version {needed}, but the file says version {version}</source>
        <translation>{what} 是项目格式版本 {needed} 新增的，但该文件标明的版本是 {version}</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>{source}: nested too deeply to be a network (layers nest at most {max} levels)</source>
        <translation>{source}：嵌套太深，不是一个网络（各层最多嵌套 {max} 级）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{source}: not valid JSON (line {line}, column {column}: {reason})</source>
        <translation>{source}：不是有效的 JSON（第 {line} 行，第 {column} 列：{reason}）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{source}: not a ResNet Studio project (no &quot;format&quot;: &quot;{format}&quot;)</source>
        <translation>{source}：不是 ResNet Studio 项目（缺少 &quot;format&quot;: &quot;{format}&quot;）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{source}: project format version {version} is not supported; this version of ResNet Studio reads version {supported}</source>
        <translation>{source}：不支持项目格式版本 {version}；此版本的 ResNet Studio 读取版本 {supported}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{source}: nested too deeply to be a network</source>
        <translation>{source}：嵌套太深，不是一个网络</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{source}: {problem}</source>
        <translation>{source}：{problem}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{source}: {where}: {problem}</source>
        <translation>{source}：{where}：{problem}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>project file</source>
        <translation>项目文件</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{path}: cannot read (a folder, not a project file)</source>
        <translation>{path}：无法读取（这是文件夹，不是项目文件）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: not a text file (byte {byte:,} is not UTF-8), not a project file</source>
        <translation>{path}：不是文本文件（第 {byte:,} 个字节不是 UTF-8），不是项目文件</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/json_reasons.py" line="+18"/>
        <source>Expecting value</source>
        <translation>此处应有一个值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Expecting property name enclosed in double quotes</source>
        <translation>此处应有用双引号括起的属性名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expecting &apos;:&apos; delimiter</source>
        <translation>此处应有分隔符“:”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expecting &apos;,&apos; delimiter</source>
        <translation>此处应有分隔符“,”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unterminated string starting at</source>
        <translation>字符串没有结束</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Invalid control character at</source>
        <translation>含有无效的控制字符</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Invalid \escape</source>
        <translation>无效的 \ 转义</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invalid \uXXXX escape</source>
        <translation>无效的 \uXXXX 转义</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extra data</source>
        <translation>末尾有多余的数据</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Illegal trailing comma before end of object</source>
        <translation>对象结尾前有多余的逗号</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Illegal trailing comma before end of array</source>
        <translation>数组结尾前有多余的逗号</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/arch/clipboard.py" line="+41"/>
        <source>the clipboard holds {length:,} characters, more than a network</source>
        <translation>剪贴板中有 {length:,} 个字符，比一个网络还多</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/arch/messages.py" line="+84"/>
        <source>{where}: {problem}</source>
        <translation>{where}：{problem}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{first}, {rest}</source>
        <translation>{first}，{rest}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/reading.py" line="+51"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>text file</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/load.py" line="+101"/>
        <source>(a name built on the stack)</source>
        <translation>（在栈上拼出的名称）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>(extension code {code})</source>
        <translation>（扩展代码 {code}）</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>{path}: not a PyTorch file (its contents are not a pickle torch can read)</source>
        <translation>{path}：不是 PyTorch 文件（其内容不是 torch 能读取的 pickle）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{path}: its entry {entry} is not UTF-8 text</source>
        <translation>{path}：其中的条目 {entry} 不是 UTF-8 文本</translation>
    </message>
    <message>
        <location line="+15"/>
        <location filename="../../resnet_studio/model/torchscript_weights.py" line="+318"/>
        <location filename="../../resnet_studio/training/runs.py" line="+127"/>
        <source>{path}: cannot read ({reason})</source>
        <translation>{path}：无法读取（{reason}）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{path}: a folder, not a model file</source>
        <translation>{path}：是文件夹，不是模型文件</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{path}: not a regular file</source>
        <translation>{path}：不是普通文件</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{path}: no such file</source>
        <translation>{path}：文件不存在</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{path}: empty file, not a PyTorch file</source>
        <translation>{path}：空文件，不是 PyTorch 文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{path}: a TorchScript file without a ResNet Studio network inside</source>
        <translation>{path}：TorchScript 文件，但其中没有 ResNet Studio 网络</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{path}: a TorchScript file, not a checkpoint; load it with torch.jit.load</source>
        <translation>{path}：是 TorchScript 文件，不是检查点；请用 torch.jit.load 加载</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{path}: not a readable PyTorch file ({kind}: {reason})</source>
        <translation>{path}：不是可读取的 PyTorch 文件（{kind}：{reason}）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{path}: not a ResNet Studio checkpoint but weights alone (a state_dict): import it with File → Import… (Model file) or resnet-studio import, which match it with the presets</source>
        <translation>{path}：不是 ResNet Studio 检查点，而只是权重（state_dict）：请用“文件 → 导入…”（模型文件）或 resnet-studio import 导入，它们会把权重与预设网络匹配</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{path}: not a ResNet Studio checkpoint (no &quot;format&quot;: &quot;{format}&quot;)</source>
        <translation>{path}：不是 ResNet Studio 检查点（缺少 &quot;format&quot;: &quot;{format}&quot;）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{path}: checkpoint version {version} is not supported; this version reads version {supported}</source>
        <translation>{path}：不支持检查点版本 {version}；此版本读取版本 {supported}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: checkpoint lacks its &apos;spec&apos; or &apos;state_dict&apos;</source>
        <translation>{path}：检查点缺少 &apos;spec&apos; 或 &apos;state_dict&apos;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{path} (network inside)</source>
        <translation>{path}（其中的网络）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>{path}: an ONNX file; {missing}</source>
        <translation>{path}：ONNX 文件；{missing}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{path}: not a readable ONNX file ({reason})</source>
        <translation>{path}：不是可读取的 ONNX 文件（{reason}）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{path}: its metadata is not UTF-8 text</source>
        <translation>{path}：其元数据不是 UTF-8 文本</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{path}: an ONNX file without a ResNet Studio network inside</source>
        <translation>{path}：ONNX 文件，但其中没有 ResNet Studio 网络</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>{path}: weights do not fit the network: {reason}</source>
        <translation>{path}：权重与网络不匹配：{reason}</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>{path}: weights do not fit the network: {count} missing, e.g. {first}</source>
        <translation>{path}：权重与网络不匹配：缺少 {count} 个，例如 {first}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/reading.py" line="+8"/>
        <location filename="../../resnet_studio/training/runs.py" line="+427"/>
        <source>cannot read ({reason})</source>
        <translation>无法读取（{reason}）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>a folder, not a {what}</source>
        <translation>是文件夹，不是{what}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not a regular file (a device, pipe or socket), not a {what}</source>
        <translation>不是普通文件（是设备、管道或套接字），不是{what}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{size:,} bytes, more than a {what} may be ({max:,} bytes)</source>
        <translation>{size:,} 字节，超过{what}的上限（{max:,} 字节）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>more than a {what} may be ({max:,} bytes)</source>
        <translation>超过{what}的上限（{max:,} 字节）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>not a {what} (not UTF-8 text)</source>
        <translation>不是{what}（不是 UTF-8 文本）</translation>
    </message>
    <message>
        <location line="+38"/>
        <location filename="../../resnet_studio/training/events.py" line="+221"/>
        <source>a number of {digits:,} digits</source>
        <translation>一个 {digits:,} 位的数</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>a number of {length:,} characters</source>
        <translation>一个 {length:,} 个字符的数</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} is not a JSON number</source>
        <translation>{name} 不是 JSON 数值</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>nested more than {max} levels deep</source>
        <translation>嵌套超过 {max} 层</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>not valid JSON (line {line}, column {column}: {reason})</source>
        <translation>不是有效的 JSON（第 {line} 行，第 {column} 列：{reason}）</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>text with a lone surrogate ({text}), not valid Unicode</source>
        <translation>文本含有孤立的代理项（{text}），不是有效的 Unicode</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/datasets.py" line="+73"/>
        <source>remove it, or skip unreadable images (train or evaluate --skip-bad-images; “Skip unreadable images” in the Train dialog)</source>
        <translation>请删除它，或跳过无法读取的图像（train 或 evaluate 加 --skip-bad-images；或在训练对话框中勾选“跳过无法读取的图像”）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{path}: not a readable image ({reason}); {hint}</source>
        <translation>{path}：不是可读取的图像（{reason}）；{hint}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>left out 1 unreadable image, the first {path} ({reason})</source>
        <translation>略去了 1 张无法读取的图像：{path}（{reason}）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>left out {count:,} unreadable images, the first {path} ({reason})</source>
        <translation>略去了 {count:,} 张无法读取的图像，第一张是 {path}（{reason}）</translation>
    </message>
    <message>
        <location line="+193"/>
        <source>{data}: no {split} split here</source>
        <translation>{data}：这里没有 {split} 划分</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>validation size must be 0 or more, got {value}</source>
        <translation>验证集大小必须为 0 或更大，得到 {value}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>subset must be 1 or more, got {value}</source>
        <translation>子集大小必须为 1 或更大，得到 {value}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>validation subset must be 1 or more, got {value}</source>
        <translation>验证子集大小必须为 1 或更大，得到 {value}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>unknown data set {name}; choose one of {known} or folder:PATH</source>
        <translation>未知的数据集 {name}；请从 {known} 中选择，或使用 folder:PATH</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>{data}: validation size {val} leaves no training images (of {total})</source>
        <translation>{data}：验证集大小 {val} 会用光全部 {total} 张图像，不剩训练图像</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{data}: cannot read the files ({reason}); pip install scipy</source>
        <translation>{data}：无法读取文件（{reason}）；请运行 pip install scipy</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>{data}: download into {root} failed ({reason}); check the network, or put {expected} in {root} yourself</source>
        <translation>{data}：下载到 {root} 失败（{reason}）；请检查网络连接，或自行把 {expected} 放进 {root}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{data}: the files in {files} are incomplete or corrupted; delete them and download them again (Download in the Train dialog, or train --download)</source>
        <translation>{data}：{files} 中的文件不完整或已损坏；请删除后重新下载（训练对话框中的“下载”，或 train --download）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{data}: no data in {root} (expected {expected} there); download it (Download in the Train dialog, or train --download) or point the data root (--data-root) at a folder that has it</source>
        <translation>{data}：{root} 中没有数据（应有 {expected}）；请下载（训练对话框中的“下载”，或 train --download），或把数据根目录（--data-root）指向包含它的文件夹</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{data}: {folder} has 1 image, too few to hold out {val} for validation; add images or a val/ folder</source>
        <translation>{data}：{folder} 只有 1 张图像，太少，无法留出 {val} 张用于验证；请添加图像或一个 val/ 文件夹</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{data}: {folder} has {count:,} images, too few to hold out {val} for validation; add images or a val/ folder</source>
        <translation>{data}：{folder} 只有 {count:,} 张图像，太少，无法留出 {val} 张用于验证；请添加图像或一个 val/ 文件夹</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>folder: no path given; use folder:PATH</source>
        <translation>folder：未给出路径；请使用 folder:PATH</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{data}: {path} is not a folder</source>
        <translation>{data}：{path} 不是文件夹</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{data}: {path} does not exist</source>
        <translation>{data}：{path} 不存在</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{data}: no class subfolders in {folder} (expected one folder of images per class, e.g. {example}/)</source>
        <translation>{data}：{folder} 中没有类别子文件夹（每个类别应有一个图像文件夹，例如 {example}/）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{data}: no images in the class folders of {folder} (looked for {kinds}, …)</source>
        <translation>{data}：{folder} 的类别文件夹中没有图像（查找了 {kinds}，…）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{data}: {folder} has classes that {train} lacks: {classes}</source>
        <translation>{data}：{folder} 中有 {train} 所没有的类别：{classes}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/engine.py" line="+212"/>
        <source>no training batches: {images} images for batch size {batch}; use a smaller batch or more data</source>
        <translation>没有训练批次：{images} 张图像，批大小为 {batch}；请使用更小的批大小或更多数据</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>the GPU ran out of memory at batch size {batch_size}; try a smaller batch size</source>
        <translation>批大小为 {batch_size} 时 GPU 内存不足；请尝试更小的批大小</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>reporting the end of the run failed: {error}</source>
        <translation>报告运行结束时出错：{error}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/experiment.py" line="-399"/>
        <location line="+238"/>
        <location line="+440"/>
        <source>{where}: must be an object</source>
        <translation>{where}：必须是一个对象</translation>
    </message>
    <message>
        <location line="-668"/>
        <source>{where}: unknown field (known: {known})</source>
        <translation>{where}：未知字段（已知字段：{known}）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{where}: missing</source>
        <translation>{where}：缺失</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>name: {name} must be 1–64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;</source>
        <translation>name：{name} 必须由 1–64 个字母、数字、&apos;-&apos;、&apos;_&apos; 或 &apos;.&apos; 组成</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>family: must be one of cifar, imagenet, got {family}</source>
        <translation>family：必须是 cifar 或 imagenet 之一，得到的是 {family}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>projects: give project files, or a family with depths</source>
        <translation>projects：请给出项目文件，或给出网络族及其深度</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>depths: give the {family} depths to train</source>
        <translation>depths：请给出要训练的 {family} 深度</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>depths: no {family} {variant} network of depth {depth} ({depths})</source>
        <translation>depths：没有深度为 {depth} 的 {family} {variant} 网络（{depths}）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>variants: each must be plain or residual, got {variants}</source>
        <translation>variants：每一项都必须是 plain 或 residual，得到的是 {variants}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>widths: each must be from {low:g} to {high:g}, got {widths}</source>
        <translation>widths：每一项都必须在 {low:g} 到 {high:g} 之间，得到的是 {widths}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>widths: apply to the CIFAR family only</source>
        <translation>widths：只适用于 CIFAR 网络族</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>shortcuts: each must be A or B, got {shortcuts}</source>
        <translation>shortcuts：每一项都必须是 A 或 B，得到的是 {shortcuts}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>seeds: give distinct seeds, got {seeds}</source>
        <translation>seeds：请给出互不相同的随机种子，得到的是 {seeds}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{where}: unknown (known: {known})</source>
        <translation>{where}：未知（已知：{known}）</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>{where}: must be a list of whole numbers</source>
        <translation>{where}：必须是整数列表</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{where}: must be text</source>
        <translation>{where}：必须是文本</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{where}: must be a list of numbers</source>
        <translation>{where}：必须是数值列表</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{where}: must be a list of text</source>
        <translation>{where}：必须是文本列表</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{where}: must be a whole number or null</source>
        <translation>{where}：必须是整数或 null</translation>
    </message>
    <message>
        <location line="+205"/>
        <source>spec file</source>
        <translation>规格文件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{path}: not JSON ({reason} at line {line})</source>
        <translation>{path}：不是 JSON（第 {line} 行：{reason}）</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>{path}: already exists; give a new folder (--out)</source>
        <translation>{path}：已存在；请给出一个新文件夹（--out）</translation>
    </message>
    <message>
        <location line="+8"/>
        <location filename="../../resnet_studio/training/runs.py" line="-437"/>
        <source>{path}: cannot create ({reason})</source>
        <translation>{path}：无法创建（{reason}）</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>{path}: not an experiment folder (no {file})</source>
        <translation>{path}：不是实验文件夹（没有 {file}）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{path}: not an experiment file</source>
        <translation>{path}：不是实验文件</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{path}: version {version} is not {supported}</source>
        <translation>{path}：版本 {version} 不是 {supported}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{key}: must be a list</source>
        <translation>{key}：必须是列表</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{key}: missing or of the wrong type</source>
        <translation>{key}：缺失或类型错误</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{where}: fields must be {fields}</source>
        <translation>{where}：字段必须是 {fields}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{where}: of the wrong type</source>
        <translation>{where}：类型错误</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{where}: key and network must be plain names</source>
        <translation>{where}：key 和 network 必须是简单名称</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/launch.py" line="+116"/>
        <source>{checkpoint}: cannot resume from it ({reason})</source>
        <translation>{checkpoint}：无法从它继续（{reason}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot start training: {reason}</source>
        <translation>无法开始训练：{reason}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/orchestration.py" line="+47"/>
        <source>{problem}; {remedy}</source>
        <translation>{problem}；{remedy}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{path}: already finished {count:,} iterations; give it more iterations to train longer</source>
        <translation>{path}：已完成 {count:,} 次迭代；要继续训练，请给它更多迭代次数</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{path}: already finished 1 epoch; give it more epochs to train longer</source>
        <translation>{path}：已完成 1 轮；要继续训练，请给它更多轮数</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{path}: already finished {count} epochs; give it more epochs to train longer</source>
        <translation>{path}：已完成 {count} 轮；要继续训练，请给它更多轮数</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>the network takes {shape} images and {classes} classes, but {data} has {data_shape} images and {data_classes} classes</source>
        <translation>网络接受 {shape} 的图像和 {classes} 个类别，但 {data} 是 {data_shape} 的图像和 {data_classes} 个类别</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>set the network&apos;s input shape and classes to match</source>
        <translation>请把网络的输入形状和类别数设为与之一致</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{network} cannot run on {data}&apos;s {shape} images: {problem}</source>
        <translation>{network} 无法在 {data} 的 {shape} 图像上运行：{problem}</translation>
    </message>
    <message>
        <location line="+155"/>
        <source>cannot start training: {name} cannot run on {data}: {problem}</source>
        <translation>无法开始训练：{name} 无法在 {data} 上运行：{problem}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/events.py" line="-17"/>
        <location filename="../../resnet_studio/training/recipe.py" line="+41"/>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <location line="-1"/>
        <location filename="../../resnet_studio/training/recipe.py" line="+1"/>
        <source>a number</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/recipe.py" line="+2"/>
        <source>a whole number or null</source>
        <translation>整数或 null</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/events.py" line="+2"/>
        <location filename="../../resnet_studio/training/recipe.py" line="+2"/>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <location line="-5"/>
        <location filename="../../resnet_studio/training/recipe.py" line="+1"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="-83"/>
        <source>loss became {loss} at iteration {iteration} (lr {lr:g}); try a lower learning rate or a warm-up</source>
        <translation>损失在第 {iteration} 次迭代时变为 {loss}（学习率 {lr:g}）；请尝试更低的学习率或预热</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>the run ended without a final report</source>
        <translation>运行结束时没有给出最终报告</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{kind}: {error}</source>
        <translation>{kind}：{error}</translation>
    </message>
    <message>
        <location line="+50"/>
        <location filename="../../resnet_studio/training/recipe.py" line="+1"/>
        <source>a list</source>
        <translation>列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <location line="+31"/>
        <location filename="../../resnet_studio/training/runs.py" line="+736"/>
        <source>{where} must be {expected}, got {got}</source>
        <translation>{where} 必须是{expected}，得到 {got}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>no {field}</source>
        <translation>缺少 {field}</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>a whole number from {low:,} to {high:,}</source>
        <translation>{low:,} 到 {high:,} 之间的整数</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/recipe.py" line="+3"/>
        <source>from 0 to below 1</source>
        <translation>大于等于 0 且小于 1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a number above 0 and at most 10</source>
        <translation>大于 0 且不超过 10 的数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>above 0 and at most 10</source>
        <translation>大于 0 且不超过 10</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>fractions between 0 and 1</source>
        <translation>0 到 1 之间的小数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>at least 1</source>
        <translation>至少为 1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>from {low} to {high}</source>
        <translation>{low} 到 {high} 之间</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>one of {choices}</source>
        <translation>{choices} 之一</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{name}: must be {expected}, got {value}</source>
        <translation>{name}：必须是{expected}，得到的是 {value}</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>numbers</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>a list of fractions</source>
        <translation>小数列表</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>device: {name} is not a device; use auto, cpu, cuda, cuda:N or mps</source>
        <translation>device：{name} 不是设备；请使用 auto、cpu、cuda、cuda:N 或 mps</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>device: CUDA was asked for but no CUDA GPU is available</source>
        <translation>device：要求使用 CUDA，但没有可用的 CUDA GPU</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>device: {name} does not exist; this machine has {count} CUDA device(s)</source>
        <translation>device：{name} 不存在；本机有 {count} 个 CUDA 设备</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>device: MPS was asked for but is not available</source>
        <translation>device：要求使用 MPS，但它不可用</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/writing.py" line="+40"/>
        <source>a device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/sources.py" line="+153"/>
        <location filename="../../resnet_studio/writing.py" line="+2"/>
        <source>a folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../resnet_studio/reading.py" line="-193"/>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{where}: not a state_dict (a dict of tensors, bare or under &quot;state_dict&quot; or &quot;model&quot;)</source>
        <translation>{where}：不是 state_dict（张量的字典，直接存放或位于 &quot;state_dict&quot; 或 &quot;model&quot; 之下）</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{where}: not a readable PyTorch file ({why})</source>
        <translation>{where}：不是可读取的 PyTorch 文件（{why}）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{path}: a ResNet Studio file; open it with File → Open, or read it with resnet-studio summary</source>
        <translation>{path}：这是 ResNet Studio 的文件；请用“文件 → 打开”打开，或用 resnet-studio summary 读取</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>{path}: a Python file is imported as FILE.py:NAME (the class or function to call), which runs the file; only do that if you trust it</source>
        <translation>{path}：Python 文件以 FILE.py:NAME（要调用的类或函数）导入，这会运行该文件；只在你信任它时这样做</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{path}: {why}</source>
        <translation>{path}：{why}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{path}: a TorchScript archive that cannot be loaded ({why})</source>
        <translation>{path}：无法载入的 TorchScript 归档（{why}）</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{path}: unpacks to {size}, more than the {free} of memory free</source>
        <translation>{path}：解压后为 {size}，超过当前可用内存 {free}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: import reads TorchScript archives and state_dict files (.pt, .pth)</source>
        <translation>{path}：导入读取 TorchScript 归档和 state_dict 文件（.pt、.pth）</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/writing.py" line="+3"/>
        <source>a pipe</source>
        <translation>管道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a socket</source>
        <translation>套接字</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/sources.py" line="-175"/>
        <location filename="../../resnet_studio/writing.py" line="+2"/>
        <source>not a regular file</source>
        <translation>不是普通文件</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/run_lock.py" line="+75"/>
        <source>{folder}: another process is taking this run&apos;s lock right now; try again</source>
        <translation>{folder}：另一个进程此刻正在获取此运行的锁；请重试</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{folder}: being trained by process {pid} on host {host} since {since}; wait for it to end or stop it</source>
        <translation>{folder}：自 {since} 起正由主机 {host} 上的进程 {pid} 训练；请等待它结束或停止它</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{folder}: being trained by process {pid} on host {host} since {since}; wait for it to end or stop it (this machine cannot tell whether it still runs there; if it does not, delete {lock})</source>
        <translation>{folder}：自 {since} 起正由主机 {host} 上的进程 {pid} 训练；请等待它结束或停止它（本机无法判断它是否仍在那里运行；如果没有，请删除 {lock}）</translation>
    </message>
    <message>
        <location line="+130"/>
        <location filename="../../resnet_studio/writing.py" line="+9"/>
        <source>{path}: cannot write ({reason})</source>
        <translation>{path}：无法写入（{reason}）</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>{path}: not a regular file (a folder, device, pipe or socket); remove it to train this run</source>
        <translation>{path}：不是普通文件（是文件夹、设备、管道或套接字）；要训练此运行，请删除它</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/writing.py" line="+11"/>
        <source>{path}: already exists</source>
        <translation>{path}：已存在</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{path}: {kind}, not a regular file; refusing to replace it</source>
        <translation>{path}：是{kind}，不是普通文件；拒绝替换它</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/api.py" line="+59"/>
        <source>calls {module} again: shared weights</source>
        <translation>再次调用 {module}：共享权重</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>the output is not reached from the input</source>
        <translation>从输入到达不了输出</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>{path}: a TorchScript archive does not say what input it takes; give it as --input C,H,W</source>
        <translation>{path}：TorchScript 归档不说明它接受什么输入；请用 --input C,H,W 给出</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/fx_frontend.py" line="+109"/>
        <source>cannot trace the model with torch.fx ({error}: {detail}); data-dependent control flow in forward() cannot be traced</source>
        <translation>无法用 torch.fx 追踪该模型（{error}：{detail}）；forward() 中依赖数据的控制流无法追踪</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>the model fails on an input of shape {shape} ({error}: {detail})</source>
        <translation>该模型在形状为 {shape} 的输入上运行失败（{error}：{detail}）</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>the model returns {type}, not one tensor; a network in the designer has one output</source>
        <translation>该模型返回 {type}，而不是一个张量；设计器中的网络只有一个输出</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>the model takes more than one tensor input; import needs one</source>
        <translation>该模型接受多个张量输入；导入只支持一个</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/leaves.py" line="+65"/>
        <source>{what} {size} is not square; the designer&apos;s are</source>
        <translation>{what} {size} 不是正方形；设计器中的都是正方形</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{op} has no kind in the designer</source>
        <translation>{op} 在设计器中没有对应的层类型</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>padding_mode {mode}: the designer pads with zeros only</source>
        <translation>padding_mode {mode}：设计器只做零填充</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>padding &apos;same&apos; with an even kernel pads one side more</source>
        <translation>偶数大小卷积核的 padding &apos;same&apos; 会在一侧多填充</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>BatchNorm without learned scale or running statistics</source>
        <translation>没有可学习缩放或运行统计量的 BatchNorm</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>eps {eps}; the designer&apos;s BatchNorm uses PyTorch&apos;s default 1e-05</source>
        <translation>eps {eps}；设计器的 BatchNorm 使用 PyTorch 的默认值 1e-05</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>momentum {momentum} becomes 0.1 (changes training only)</source>
        <translation>动量 {momentum} 变为 0.1（只影响训练）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{setting}={value}; the designer&apos;s pool has {default}</source>
        <translation>{setting}={value}；设计器的池化层为 {default}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>adaptive average pooling to {size}: the designer&apos;s pools to a square grid</source>
        <translation>自适应平均池化到 {size}：设计器只池化到正方形网格</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{op} clamps to [{low}, {high}]; only [0, 6] (ReLU6) is a kind</source>
        <translation>{op} 截断到 [{low}, {high}]；只有 [0, 6]（ReLU6）有对应的层类型</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>reshapes {before} to {after}; only flattening each image is a kind</source>
        <translation>把 {before} 变形为 {after}；只有逐图展平有对应的层类型</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Linear on {shape}: the designer&apos;s Linear takes flat features</source>
        <translation>作用于 {shape} 的 Linear：设计器的 Linear 只接受展平的特征</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{op} on a tensor the model holds ({held}); use a layer module</source>
        <translation>{op} 作用于模型持有的张量（{held}）；请改用层模块</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>adds a constant to a tensor</source>
        <translation>给张量加上一个常量</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>adds with alpha={alpha}</source>
        <translation>以 alpha={alpha} 相加</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>mean over dimensions {dims}; only over height and width is a kind</source>
        <translation>对维度 {dims} 求平均；只有对高和宽求平均有对应的层类型</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>dropout that also drops in eval mode (training=True)</source>
        <translation>在评估模式下也会丢弃的 dropout（training=True）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>concatenates tensors; the designer joins branches only by addition</source>
        <translation>拼接张量；设计器只通过相加合并分支</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>multiplies two tensors; the designer joins branches only by addition</source>
        <translation>两个张量相乘；设计器只通过相加合并分支</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{op} gives several tensors; the designer&apos;s layers give one</source>
        <translation>{op} 输出多个张量；设计器的层只输出一个</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{op} does not take the network&apos;s tensors</source>
        <translation>{op} 不接受网络的张量</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/report.py" line="+463"/>
        <source>{source} (input {size}): {verdict}</source>
        <translation>{source}（输入 {size}）：{verdict}</translation>
    </message>
    <message>
        <location line="-191"/>
        <source>  {count:,} operations mapped, in {seconds} s</source>
        <translation>  已映射 {count:,} 个操作，用时 {seconds} 秒</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>  read in {seconds} s</source>
        <translation>  读取用时 {seconds} 秒</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>  {count} modules keep their weights under another name:</source>
        <translation>  {count} 个模块的权重换了名字保存：</translation>
    </message>
    <message>
        <location line="+181"/>
        <source>  note: {note}</source>
        <translation>  注意：{note}</translation>
    </message>
    <message>
        <location line="-169"/>
        <source>  {count} source weights not imported:</source>
        <translation>  {count} 个源模型权重未导入：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>  1 operation cannot be expressed:</source>
        <translation>  1 个操作无法表达：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>  {count} operations cannot be expressed:</source>
        <translation>  {count} 个操作无法表达：</translation>
    </message>
    <message>
        <location line="+158"/>
        <source>    {source} ({op}): {reason}</source>
        <translation>    {source}（{op}）：{reason}</translation>
    </message>
    <message>
        <location line="-374"/>
        <source>  {count:,} tensors read</source>
        <translation>  读取了 {count:,} 个张量</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>  the weights are the file&apos;s {entry!r} entry</source>
        <translation>  权重是文件中的 {entry!r} 条目</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>  {prefix!r} removed from every key</source>
        <translation>  已从每个键去掉 {prefix!r}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>  adapted: {what}</source>
        <translation>  已调整：{what}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>  the same weights also fit {others} (they differ only in layers without weights)</source>
        <translation>  同样的权重也适合 {others}（它们只在不带权重的层上不同）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>  weights: load strictly into {candidate}</source>
        <translation>  权重：严格载入{candidate}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>  weights: do not load: {why}</source>
        <translation>  权重：无法载入：{why}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>  missing from the file ({count:,} keys):</source>
        <translation>  文件中缺少（{count:,} 个键）：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>  not in the preset ({count:,} keys):</source>
        <translation>  预设中没有（{count:,} 个键）：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>  another shape ({count:,} keys):</source>
        <translation>  形状不同（{count:,} 个键）：</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>    … and {count:,} more</source>
        <translation>    ……另有 {count:,} 个</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>weights of {candidate}, opened with them</source>
        <translation>是{candidate}的权重，已连同权重打开</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>matches {candidate}, but the weights do not load</source>
        <translation>与{candidate}相符，但权重无法载入</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>not imported: the weights fit no preset; the closest is {candidate} ({matching:,} of its {expected:,} keys)</source>
        <translation>未导入：权重不适合任何预设；最接近的是{candidate}（其 {expected:,} 个键中的 {matching:,} 个）</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>{source}: {verdict}</source>
        <translation>{source}：{verdict}</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>  mapping (source -&gt; our path):</source>
        <translation>  映射（源模型 -&gt; 本程序中的路径）：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>    {source} ({source_kind}) -&gt; {path} ({kind})</source>
        <translation>    {source}（{source_kind}）-&gt; {path}（{kind}）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>not imported: 1 operation cannot be expressed</source>
        <translation>未导入：1 个操作无法表达</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not imported: {count} operations cannot be expressed</source>
        <translation>未导入：{count} 个操作无法表达</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>imported exactly</source>
        <translation>已精确导入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>imported, but NOT exactly</source>
        <translation>已导入，但并不精确</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>  parameters: {source:,} in the source, {ours} in the import (same)</source>
        <translation>  参数：源模型 {source:,} 个，导入结果 {ours} 个（相同）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>  parameters: {source:,} in the source, {ours} in the import (DIFFERENT)</source>
        <translation>  参数：源模型 {source:,} 个，导入结果 {ours} 个（不同）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>  weights: the renamed state_dict loads strictly</source>
        <translation>  权重：重命名后的 state_dict 可严格加载</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>  weights: do not load: {error}</source>
        <translation>  权重：无法加载：{error}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>  outputs: not compared</source>
        <translation>  输出：未比较</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>  outputs: equal on {inputs} random images in eval mode (largest difference {difference}, tolerance {tolerance})</source>
        <translation>  输出：在评估模式下对 {inputs} 张随机图像相等（最大差异 {difference}，容差 {tolerance}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>  outputs: DIFFERENT on {inputs} random images in eval mode (largest difference {difference}, tolerance {tolerance})</source>
        <translation>  输出：在评估模式下对 {inputs} 张随机图像不同（最大差异 {difference}，容差 {tolerance}）</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/structure.py" line="+135"/>
        <source>uses the same tensor twice</source>
        <translation>两次使用同一个张量</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>joins {count} branches; a residual joins two</source>
        <translation>合并 {count} 个分支；残差块只合并两个</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>its {count} branches do not meet at one operation (they end at {ops})</source>
        <translation>它的 {count} 个分支没有在同一个操作处汇合（分别止于 {ops}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>its {count} branches do not meet at one operation</source>
        <translation>它的 {count} 个分支没有在同一个操作处汇合</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>joins two branches other than by addition</source>
        <translation>不是通过相加合并两个分支</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>adds tensors of different shapes ({first} and {second})</source>
        <translation>把形状不同的张量相加（{first} 和 {second}）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>its shortcut ({ops}) is not an identity, a 1×1 projection with BatchNorm, or a subsample with zero-padded channels</source>
        <translation>它的捷径（{ops}）既不是恒等映射、带 BatchNorm 的 1×1 投影，也不是补零通道的下采样</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>{op} outside a zero-padded shortcut</source>
        <translation>{op} 位于补零捷径之外</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>its zero-padded shortcut puts {before} zero channels before the input&apos;s and {after} after; the designer&apos;s puts them all after, or {half} before and {rest} after</source>
        <translation>它的补零捷径在输入通道之前补 {before} 个零通道、之后补 {after} 个；设计器要么全部补在之后，要么之前补 {half} 个、之后补 {rest} 个</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>its shortcut ({op}) is a 1×1 conv without BatchNorm: the designer has that only in a pre-activation block, taken after the block&apos;s first BatchNorm and ReLU</source>
        <translation>它的捷径（{op}）是不带 BatchNorm 的 1×1 卷积：设计器只在预激活块中有这种捷径，并取自块内第一个 BatchNorm 和 ReLU 之后</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>joins the network&apos;s main path with a tensor from elsewhere</source>
        <translation>把网络主路径与别处的张量合并</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/tree.py" line="+33"/>
        <source>zero-padded shortcut</source>
        <translation>补零捷径</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>identity shortcut</source>
        <translation>恒等捷径</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Residual (addition)</source>
        <translation>Residual（相加）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Residual (ReLU after the addition)</source>
        <translation>Residual（相加后的 ReLU）</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/script_frontend.py" line="+327"/>
        <source>the model raises an error on this input: {what}</source>
        <translation>模型在此输入上报错：{what}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the TorchScript graph uses {kind}, which import cannot run</source>
        <translation>TorchScript 计算图使用了 {kind}，导入无法运行它</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>the model takes {count} inputs; import needs one tensor</source>
        <translation>模型接受 {count} 个输入；导入需要一个张量</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>the model reads the values of its tensors ({kind}, in {scope}) to decide what to run; a network in the designer runs the same layers for every input</source>
        <translation>模型读取其张量的值（{kind}，在 {scope} 中）来决定运行什么；设计器中的网络对每个输入都运行相同的层</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>running {kind} failed ({why})</source>
        <translation>运行 {kind} 失败（{why}）</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>the model fails on an input of shape {shape} ({why})</source>
        <translation>模型在形状为 {shape} 的输入上失败（{why}）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the TorchScript graph, run step by step, does not give the model&apos;s own output; it cannot be imported</source>
        <translation>逐步运行 TorchScript 计算图得不到模型自身的输出；无法导入</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/importer/weights_match.py" line="+116"/>
        <source>{count:,} classes (the preset has {preset:,})</source>
        <translation>{count:,} 个类别（预设为 {preset:,}）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{count} input channels (the preset takes {preset})</source>
        <translation>{count} 个输入通道（预设接受 {preset}）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>preset {key}</source>
        <translation>预设 {key}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the network open now</source>
        <translation>当前打开的网络</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/arch/messages.py" line="+7"/>
        <location filename="../../resnet_studio/model/build.py" line="+268"/>
        <source>{first}; {rest}</source>
        <translation>{first}；{rest}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/build.py" line="+11"/>
        <source>the network has errors: {problems} (+{more} more)</source>
        <translation>网络有错误：{problems}（另有 {more} 个）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the network has errors: {problems}</source>
        <translation>网络有错误：{problems}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/export.py" line="+73"/>
        <source>the weights&apos; metadata is for {shape} images and {classes} classes, but {network} takes {takes} and {takes_classes}</source>
        <translation>权重的元数据对应 {shape} 图像和 {classes} 个类别，但 {network} 接受 {takes} 和 {takes_classes} 个类别</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>ONNX files need the onnx packages, which this bundle of ResNet Studio lacks; the full bundle has them</source>
        <translation>ONNX 文件需要 onnx 软件包，而此 ResNet Studio 打包版本没有；完整版打包中带有它们</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ONNX files need the optional onnx packages: pip install onnx onnxscript onnxruntime</source>
        <translation>ONNX 文件需要可选的 onnx 软件包：pip install onnx onnxscript onnxruntime</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/files.py" line="+32"/>
        <source>a TorchScript file</source>
        <translation>TorchScript 文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a checkpoint file</source>
        <translation>检查点文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an ONNX file</source>
        <translation>ONNX 文件</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{path}: refused to load: the file holds Python objects other than tensors and plain data, which could run code (Unsupported global: GLOBAL {name})</source>
        <translation>{path}：拒绝加载：该文件含有张量和普通数据以外的 Python 对象，它们可能运行代码（Unsupported global: GLOBAL {name}）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>unknown export format {format}; use one of {formats}</source>
        <translation>未知的导出格式 {format}；请使用 {formats} 之一</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{first} or {second}</source>
        <translation>{first} 或 {second}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{path}: {kind} must end in {endings} ({suffix} is for {formats})</source>
        <translation>{path}：{kind}必须以 {endings} 结尾（{suffix} 用于 {formats}）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: {kind} must end in {endings}</source>
        <translation>{path}：{kind}必须以 {endings} 结尾</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/metadata.py" line="+113"/>
        <source>model metadata: {problem}</source>
        <translation>模型元数据：{problem}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>model metadata {field}: {problem}</source>
        <translation>模型元数据 {field}：{problem}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>expected a list of {channels} numbers, one per channel</source>
        <translation>应为 {channels} 个数值的列表，每个通道一个</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>expected finite numbers, got {got}</source>
        <translation>应为有限数值，得到 {got}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be above 0, got {got}</source>
        <translation>必须大于 0，得到 {got}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>expected an object, got {got}</source>
        <translation>应为对象，得到 {got}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>expected {expected}, got {got}</source>
        <translation>应为 {expected}，得到 {got}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{version} is not supported; this version reads {supported}</source>
        <translation>不支持 {version}；此版本读取 {supported}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>expected [C, H, W] of whole numbers, got {got}</source>
        <translation>应为整数组成的 [C, H, W]，得到 {got}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{shape}, but the network takes {takes}</source>
        <translation>{shape}，但网络接受 {takes}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>expected a list of class names</source>
        <translation>应为类别名称的列表</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{count} names for a network with {classes} outputs</source>
        <translation>{count} 个名称，但网络有 {classes} 个输出</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>mean and std must be given together</source>
        <translation>mean 和 std 必须同时给出</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>expected text, got {got}</source>
        <translation>应为文本，得到 {got}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>expected text of at most {max} characters</source>
        <translation>应为不超过 {max} 个字符的文本</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>expected a whole number, got {got}</source>
        <translation>应为整数，得到 {got}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>expected true or false, got {got}</source>
        <translation>应为 true 或 false，得到 {got}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>true, but there is no mean and std</source>
        <translation>为 true，但没有 mean 和 std</translation>
    </message>
    <message>
        <location line="+26"/>
        <location filename="../../resnet_studio/reading.py" line="+171"/>
        <source>not valid JSON ({reason})</source>
        <translation>不是有效的 JSON（{reason}）</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/predictor.py" line="+65"/>
        <source>{path}: the model fails on a batch of {shape} ({reason})</source>
        <translation>{path}：模型在形状为 {shape} 的批次上出错（{reason}）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: the model answers {got} for a batch of {batch}, not {expected} (one score per class)</source>
        <translation>{path}：对 {batch} 张图像的批次，模型给出 {got}，而不是 {expected}（每个类别一个分数）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{path}: the file does not record how its input was normalised (written before ResNet Studio stored it); export it again from its run folder (resnet-studio export RUNDIR ...) or evaluate the run folder itself</source>
        <translation>{path}：该文件没有记录其输入的归一化方式（写于 ResNet Studio 开始保存它之前）；请从它的运行文件夹重新导出（resnet-studio export RUNDIR ...），或直接评估该运行文件夹</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>{path}: running {missing}</source>
        <translation>{path}：运行{missing}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{path}: onnxruntime cannot load it ({reason})</source>
        <translation>{path}：onnxruntime 无法加载它（{reason}）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>{path}: torch.jit.load cannot load it ({reason})</source>
        <translation>{path}：torch.jit.load 无法加载它（{reason}）</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/resources.py" line="+179"/>
        <source>{name} is too large to build here: {modules:,} layers and {params:,} parameters, with {activations:,} activation values per image, need about {total} (weights and their copies {weights}, activations {activation_bytes}, modules {module_bytes}), but {available} of memory is available; use fewer or smaller layers, or a smaller input</source>
        <translation>{name} 太大，无法在此构建：{modules:,} 层、{params:,} 个参数，每张图像 {activations:,} 个激活值，约需 {total}（权重及其副本 {weights}，激活 {activation_bytes}，模块 {module_bytes}），但可用内存只有 {available}；请使用更少或更小的层，或更小的输入</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/torchscript_weights.py" line="-221"/>
        <source>{path}: its entry {entry} is encrypted, which no model file is</source>
        <translation>{path}：其中的条目 {entry} 已加密，而模型文件都不加密</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{path}: its entry {entry} uses compression method {method}; model files store their entries as they are (or deflated)</source>
        <translation>{path}：其中的条目 {entry} 使用压缩方法 {method}；模型文件的条目按原样存储（或用 deflate 压缩）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: its entry {entry} says it holds {size}, more than the {limit} it may</source>
        <translation>{path}：其中的条目 {entry} 声称有 {size}，超过允许的 {limit}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{path}: its entry {entry} is damaged ({reason})</source>
        <translation>{path}：其中的条目 {entry} 已损坏（{reason}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{path}: its entry {entry} holds more than it says</source>
        <translation>{path}：其中的条目 {entry} 的内容比它声称的多</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{path}: its weights need more than the {memory} of memory available to read them</source>
        <translation>{path}：读取其权重需要超过可用的 {memory} 内存</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>{path}: a zip file, but not a TorchScript archive</source>
        <translation>{path}：是 zip 文件，但不是 TorchScript 归档</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>{path}: damaged TorchScript archive ({kind}: {reason})</source>
        <translation>{path}：TorchScript 归档已损坏（{kind}：{reason}）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{path}: its data.pkl holds no module</source>
        <translation>{path}：其中的 data.pkl 不含模块</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/evaluation.py" line="+158"/>
        <source>{label}: the model records no data set (it is untrained); name one with --dataset NAME or --folder PATH</source>
        <translation>{label}：模型没有记录数据集（它未经训练）；请用 --dataset NAME 或 --folder PATH 指定一个</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{data} has {have} images, but {label} takes {want}</source>
        <translation>{data} 的图像是 {have}，但 {label} 接受 {want}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{data} has {classes} classes, but {label} has {label_classes}</source>
        <translation>{data} 有 {classes} 个类别，但 {label} 有 {label_classes} 个</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{data}&apos;s classes ({names}, …) are not {label}&apos;s ({label_names}, …)</source>
        <translation>{data} 的类别（{names}, …）与 {label} 的类别（{label_names}, …）不同</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{data} has no {split} split here; use --split val</source>
        <translation>{data} 在这里没有 {split} 划分；请使用 --split val</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/response_file.py" line="+32"/>
        <source>a mode</source>
        <translation>一种模式</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>not a responses file</source>
        <translation>不是响应文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>version {version} is not {supported}</source>
        <translation>版本 {version} 不是 {supported}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{key}: must be a whole number, 0 or more</source>
        <translation>{key}：必须是 0 或更大的整数</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>split: must be text</source>
        <translation>split：必须是文本</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>layers: must be a list</source>
        <translation>layers：必须是列表</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{where}: must be an object with a path</source>
        <translation>{where}：必须是带有 path 的对象</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{where}: must hold path and {modes}</source>
        <translation>{where}：必须包含 path 和 {modes}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{where}: must be a number, 0 or more, or null</source>
        <translation>{where}：必须是 0 或更大的数值，或 null</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/run_weights.py" line="+96"/>
        <source>{path}: run.json names no data set</source>
        <translation>{path}：run.json 没有指明数据集</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{path}: the run does not record the input normalisation it trained with, and it cannot be recomputed because its data cannot be loaded ({reason}); make the data available (--data-root) and try again</source>
        <translation>{path}：该运行没有记录训练时的输入归一化，而它的数据无法加载，因此无法重新计算（{reason}）；请提供数据（--data-root）后重试</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: the run does not record its input normalisation, and {data} no longer fits its network</source>
        <translation>{path}：该运行没有记录其输入归一化，而 {data} 已不再与它的网络匹配</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>{path}: weights do not fit the run&apos;s network ({reason})</source>
        <translation>{path}：权重与该运行的网络不匹配（{reason}）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the last checkpoint</source>
        <translation>最近的检查点</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the last checkpoint (epoch {epoch})</source>
        <translation>最近的检查点（第 {epoch} 轮）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the last checkpoint (epoch {epoch}, batch {batch})</source>
        <translation>最近的检查点（第 {epoch} 轮，第 {batch} 批）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>the finished model</source>
        <translation>训练完成的模型</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{path}: no trained weights yet (neither {model} nor {checkpoint})</source>
        <translation>{path}：还没有训练好的权重（既没有 {model}，也没有 {checkpoint}）</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/runs.py" line="-639"/>
        <source>{path} already holds a run; choose another --out or use --resume</source>
        <translation>{path} 中已有一个运行；请选择其他 --out，或使用 --resume</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>{path}: not a folder; a run needs a new or empty one</source>
        <translation>{path}：不是文件夹；运行需要一个新的或空的文件夹</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{path}: not empty (holds {files}); a run needs a new or empty folder, so that nothing in it is replaced</source>
        <translation>{path}：不是空的（其中有 {files}）；运行需要一个新的或空的文件夹，以免替换其中的任何内容</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>{path}: not a run folder (no {file})</source>
        <translation>{path}：不是运行文件夹（没有 {file}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>unreadable ({problem})</source>
        <translation>无法读取（{problem}）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>must be a JSON object, got {got}</source>
        <translation>必须是 JSON 对象，得到 {got}</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>{path}: no {file} to resume from (a run writes it at the end of each epoch, and this one has none); train it afresh</source>
        <translation>{path}：没有可以继续的 {file}（运行在每轮结束时写入它，而这个运行还没有）；请重新训练</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{path}: cannot be loaded ({reason})</source>
        <translation>{path}：无法加载（{reason}）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{path}: not a training checkpoint (no model weights in it)</source>
        <translation>{path}：不是训练检查点（其中没有模型权重）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{path}: not a regular file (a folder, device, pipe or socket)</source>
        <translation>{path}：不是普通文件（是文件夹、设备、管道或套接字）</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>a folder, not a file</source>
        <translation>是文件夹，不是文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not a regular file (a device, pipe or socket)</source>
        <translation>不是普通文件（是设备、管道或套接字）</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{path}: damaged: {reason}</source>
        <translation>{path}：已损坏：{reason}</translation>
    </message>
    <message>
        <location line="+218"/>
        <source>network: nested too deeply</source>
        <translation>network：嵌套太深</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a process id (1 to {max:,})</source>
        <translation>进程 ID（1 到 {max:,}）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{field} must be at least 1 (or null for all), got {count}</source>
        <translation>{field} 必须至少为 1（或为 null 表示全部），得到 {count}</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>1 damaged line skipped (the first is line {first:,})</source>
        <translation>跳过了 1 行损坏的内容（第 {first:,} 行）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count:,} damaged lines skipped (the first is line {first:,})</source>
        <translation>跳过了 {count:,} 行损坏的内容（第一行是第 {first:,} 行）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>larger than {size}; only its first {size} were read</source>
        <translation>大于 {size}；只读取了前 {size}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/training/scheduler.py" line="+44"/>
        <source>stopped before training began</source>
        <translation>在训练开始前已停止</translation>
    </message>
    <message>
        <location line="+217"/>
        <source>exit status {code}</source>
        <translation>退出状态 {code}</translation>
    </message>
    <message>
        <location filename="../../resnet_studio/model/weights.py" line="+75"/>
        <source>{count} missing ({keys})</source>
        <translation>缺少 {count} 个（{keys}）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{count} unexpected ({keys})</source>
        <translation>多出 {count} 个（{keys}）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{key}: {given} (needs {needed})</source>
        <translation>{key}：{given}（需要 {needed}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{count} of another shape ({keys})</source>
        <translation>{count} 个形状不同（{keys}）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the weights of {source} do not fit the network: {mismatch}</source>
        <translation>{source} 的权重与网络不符：{mismatch}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>scalar</source>
        <translation>标量</translation>
    </message>
    <message>
        <location line="+143"/>
        <source>{path}: an ONNX file; weights are read from a checkpoint, TorchScript or state_dict .pt/.pth file</source>
        <translation>{path}：这是 ONNX 文件；权重只能从检查点、TorchScript 或 state_dict 的 .pt/.pth 文件读取</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{path}: not a readable PyTorch file ({reason})</source>
        <translation>{path}：不是可读取的 PyTorch 文件（{reason}）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{path}: holds no state_dict (tensors by name, bare or under {nested}); found {found}</source>
        <translation>{path}：其中没有 state_dict（按名称存放的张量，直接存放或位于 {nested} 之下）；找到的是 {found}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>an empty dict</source>
        <translation>一个空字典</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a dict with keys {keys}</source>
        <translation>一个键为 {keys} 的字典</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a {type}</source>
        <translation>一个 {type}</translation>
    </message>
</context>
<context>
    <name>spec</name>
    <message>
        <location filename="../../resnet_studio/arch/spec.py" line="-779"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>identity</source>
        <translation>恒等</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>zero-pad</source>
        <translation>补零</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>projection</source>
        <translation>投影</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>end</source>
        <translation>末尾</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>both</source>
        <translation>两侧</translation>
    </message>
    <message>
        <location line="+236"/>
        <source>Number of output feature maps</source>
        <translation>输出特征图的数量</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kernel size (square)</source>
        <translation>卷积核大小（正方形）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Step between kernel positions</source>
        <translation>卷积核位置之间的步长</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zero padding on each side</source>
        <translation>每边的零填充</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Spacing of kernel taps</source>
        <translation>卷积核采样点的间距</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Channel groups; must divide input and output channels</source>
        <translation>通道分组数；必须能整除输入和输出通道数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a learned bias (off before BatchNorm)</source>
        <translation>加上可学习的偏置（BatchNorm 之前应关闭）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Slope for x &lt; 0</source>
        <translation>x &lt; 0 时的斜率</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>none: the exact formula; tanh: a faster approximation</source>
        <translation>无：精确公式；tanh：更快的近似</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Window size (square)</source>
        <translation>窗口大小（正方形）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Step between windows</source>
        <translation>窗口之间的步长</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Padding on each side</source>
        <translation>每边的填充</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Round the output size up: a last window that overhangs the input still counts</source>
        <translation>输出大小向上取整：超出输入边缘的最后一个窗口也计入</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Count the padding zeros in each window&apos;s mean</source>
        <translation>每个窗口的均值计入填充的零</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Output height and width (square)</source>
        <translation>输出的高和宽（正方形）</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Output features; empty means the number of classes</source>
        <translation>输出特征数；留空表示类别数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add a learned bias</source>
        <translation>加上可学习的偏置</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Probability of dropping a value</source>
        <translation>丢弃一个值的概率</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>How x reaches the addition</source>
        <translation>x 如何到达相加处</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply ReLU after the addition</source>
        <translation>相加之后应用 ReLU</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zero-pad shortcut only: new zero channels all at the end, or half before and half after x&apos;s channels</source>
        <translation>仅用于补零捷径：新增的零通道全部放在末尾，或一半放在 x 的通道之前、一半放在之后</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Pre-activation (He et al. 2016): the body starts with BatchNorm2d and ReLU, and a projection or zero-pad shortcut takes its input after them</source>
        <translation>预激活（He 等，2016）：主体以 BatchNorm2d 和 ReLU 开头，投影捷径或补零捷径从这两层之后取输入</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Number of repetitions</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Strides in the body act in the first repetition only</source>
        <translation>主体中的步长只在第一次重复中起作用</translation>
    </message>
</context>
</TS>
