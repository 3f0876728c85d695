"""Given names that are one name across Ukrainian, Russian and English spellings.

Each line is one name: its Ukrainian form, its Russian form, then other spellings in use (English
press, older passports, diminutive-free Latin forms). Transliterations of these forms need no line
of their own: the fold in `normalise` makes Oleksandr, Олександр and Oleksandr's other official
romanisations one key already. The lines join what the fold cannot: a different word for the same
name (Олександр / Александр / Alexander, Федір / Фёдор, Ганна / Анна).
"""

MALE = """
Олександр Александр Alexander Aleksander Alexandr Oleksander Sasha
Олексій Алексей Alexei Alexey Aleksei Oleksiy Alex
Андрій Андрей Andrew Andrei Andrey Andrii Andriy
Анатолій Анатолий Anatoly Anatolii Anatoliy
Антон Антон Anton Antin Антін
Аркадій Аркадий Arkady
Артем Артём Artem Artyom Artiom Artemii Артемій
Богдан Богдан Bohdan Bogdan
Борис Борис Boris Borys
Вадим Вадим Vadym Vadim
Валентин Валентин Valentyn Valentin
Валерій Валерий Valery Valerii Valeriy
Василь Василий Vasyl Vasily Vasilii Vasiliy Vasil Vassily
Віктор Виктор Viktor Victor
Віталій Виталий Vitaly Vitalii Vitaliy
Владислав Владислав Vladyslav Vladislav
Владимир Володимир Volodymyr Vladimir Wladimir
В'ячеслав Вячеслав Viacheslav Vyacheslav Vjaceslav
Геннадій Геннадий Gennady Hennadii Hennadiy Gennadiy
Георгій Георгий George Heorhii Georgy Georgiy Heorhiy
Григорій Григорий Gregory Hryhorii Grigory Hryhoriy Grigoriy
Гліб Глеб Gleb Hlib
Данило Даниил Danylo Daniil Daniel Danil Данила Данило
Денис Денис Denys Denis
Дмитро Дмитрий Dmytro Dmitry Dmitrii Dmitriy Dimitri
Євген Евгений Yevhen Evgeny Yevgeny Yevgeniy Eugene Ievgen Evgenii Yevgen
Іван Иван Ivan John
Ігор Игорь Ihor Igor
Ілля Илья Illia Ilya Ilia Illya Elijah
Йосип Иосиф Yosyp Iosif Joseph Osyp Осип
Кирило Кирилл Kyrylo Kirill Kiril Cyril
Костянтин Константин Kostiantyn Konstantin Kostyantyn Constantine
Леонід Леонид Leonid Leonyd
Максим Максим Maksym Maxim Maksim Maxym
Микола Николай Mykola Nikolai Nikolay Nicholas Nikolaj
Михайло Михаил Mykhailo Mikhail Michael Mykhaylo Mychajlo
Назар Назар Nazar
Олег Олег Oleh Oleg
Павло Павел Pavlo Pavel Paul
Петро Пётр Petro Pyotr Petr Peter Piotr
Роман Роман Roman
Руслан Руслан Ruslan
Сергій Сергей Serhii Sergei Sergey Serhiy Sergiy Serge
Станіслав Станислав Stanislav Stanislaw
Степан Степан Stepan Stephen
Тарас Тарас Taras
Тимофій Тимофей Tymofii Timofey Timofei Tymofiy
Федір Фёдор Fedir Fyodor Fedor Theodore Федор
Юрій Юрий Yurii Yury Yuri Yuriy Iurii Jurij
Ярослав Ярослав Yaroslav Iaroslav Jaroslav
Яків Яков Yakiv Yakov Jacob Iakiv
Едуард Эдуард Eduard Edward
Іллярион Илларион Illarion Ilarion
Зиновій Зиновий Zynovii Zinovy
Мирослав Мирослав Myroslav Miroslav
Ростислав Ростислав Rostyslav Rostislav
Святослав Святослав Sviatoslav Svyatoslav
Семен Семён Semen Semyon Simon Semion
Тимур Тимур Tymur Timur
Вікентій Викентий Vikentii
Всеволод Всеволод Vsevolod
Ілько Илько Ilko
Лев Лев Lev Leo
Матвій Матвей Matvii Matvey Matthew
Марко Марк Marko Mark
Остап Остап Ostap
Ярема Ерема Yarema Yerema
Нестор Нестор Nestor
Омелян Емельян Omelian Yemelyan Emelian
Опанас Афанасий Opanas Afanasy Panas Панас
Прокіп Прокопий Prokip Prokopy
Харитон Харитон Kharyton Khariton
Гаврило Гавриил Havrylo Gavriil Gabriel Gavrila Гаврила
Самуїл Самуил Samuil Samuel
""".strip().splitlines()

FEMALE = """
Олександра Александра Alexandra Oleksandra Aleksandra
Олена Елена Olena Elena Yelena Helen Helena Alena Алёна Альона Alyona
Ганна Анна Hanna Anna Ann Anne Hanya
Наталія Наталья Natalia Nataliia Nataliya Natalya Natalie Наталя Natalja
Оксана Оксана Oksana Oxana
Ольга Ольга Olha Olga Olga
Тетяна Татьяна Tetiana Tatiana Tatyana Tetyana Tatjana
Юлія Юлия Yulia Yuliia Julia Iuliia Yuliya
Марія Мария Maria Mariia Mariya Mary Marie
Ірина Ирина Iryna Irina Irene
Світлана Светлана Svitlana Svetlana
Людмила Людмила Liudmyla Lyudmila Ludmila Liudmila Ludmyla
Катерина Екатерина Kateryna Yekaterina Ekaterina Catherine Katerina
Анастасія Анастасия Anastasiia Anastasia Anastasiya
Віра Вера Vira Vera
Надія Надежда Nadiia Nadezhda Nadia Nadiya
Любов Любовь Liubov Lyubov Lubov
Галина Галина Halyna Galina
Лариса Лариса Larysa Larisa
Валентина Валентина Valentyna Valentina
Вікторія Виктория Viktoriia Viktoria Victoria Viktoriya
Дарія Дарья Dariia Daria Darya Dariya Дарина Daryna
Софія Софья Sofiia Sofia Sophia Sofya Софія София
Євгенія Евгения Yevheniia Evgenia Yevgeniya Eugenia
Інна Инна Inna
Алла Алла Alla
Лілія Лилия Liliia Lilia Liliya
Марина Марина Maryna Marina
Таміла Тамила Tamila
Христина Кристина Khrystyna Kristina Christina
Ярослава Ярослава Yaroslava
Зоя Зоя Zoia Zoya
Раїса Раиса Raisa Raissa
""".strip().splitlines()
